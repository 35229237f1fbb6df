"""Registering participants and updating their profiles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.deadlines.schedule import schedule
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound, StaleVersion
from domain.kernel.roles import Role
from domain.kernel.text import NUL_PROBLEM, has_nul
from domain.models import DeadlineKind, Participant
from domain.standing.machines import machine_class
from domain.standing.policy import TIME_POLICY

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_LENGTH = 320  # RFC 5321's bound on a path
MAX_TIME_ZONE_LENGTH = 64  # the longest IANA name is about 30 characters


@dataclass(frozen=True)
class ProfileInput:
    display_name: str | None = None
    email: str | None = None
    timezone: str | None = None


def validate_profile(profile: ProfileInput, *, creating: bool) -> InvalidInput | None:
    for field_name, value in (
        ("displayName", profile.display_name),
        ("email", profile.email),
        ("timezone", profile.timezone),
    ):
        if has_nul(value):
            return InvalidInput(field_name, NUL_PROBLEM)
    if profile.display_name is not None or creating:
        name = (profile.display_name or "").strip()
        if not name:
            return InvalidInput("displayName", "must not be empty")
        if len(name) > 200:
            return InvalidInput("displayName", "at most 200 characters")
    if profile.email is not None or creating:  # the length first: the pattern is slow on long text
        if len(profile.email or "") > MAX_EMAIL_LENGTH or not EMAIL.match(profile.email or ""):
            return InvalidInput("email", "must be an email address")
    if profile.timezone is not None and not known_time_zone(profile.timezone):
        shown = f" {profile.timezone!r}" if len(profile.timezone) <= MAX_TIME_ZONE_LENGTH else ""
        return InvalidInput("timezone", f"unknown IANA time zone{shown}; name one such as Europe/Oslo")
    return None


def known_time_zone(name: str) -> bool:
    """An IANA zone name. ZoneInfo reads a file named after it, so a long or odd name raises errors that
    would show the installation's paths: those are simply unknown zones."""
    if not name or len(name) > MAX_TIME_ZONE_LENGTH:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


async def register_participant(
    *, organization_id: int, role: Role, profile: ProfileInput, clock: Clock
) -> Participant | InvalidInput:
    if (invalid := validate_profile(profile, creating=True)) is not None:
        return invalid
    now = clock.now()
    participant = await Participant.create(
        organization_id=organization_id,
        role=role,
        display_name=profile.display_name.strip(),  # type: ignore[union-attr]
        email=profile.email.strip().lower(),  # type: ignore[union-attr]
        timezone=profile.timezone or "UTC",
        standing=machine_class(role).initial_state.id,
        standing_since=now,
        version=1,
        created_at=now,
        updated_at=now,
    )
    if role is Role.PROTEGE:  # a new protégé's 60-day inactivity horizon starts at registration
        await schedule(DeadlineKind.INACTIVITY, participant.id, TIME_POLICY.inactivity_due(now), now)
    return participant


async def update_participant(
    *,
    participant_id: int,
    organization_id: int,
    profile: ProfileInput,
    expected_version: int | None,
    clock: Clock,
) -> Participant | InvalidInput | NotFound | StaleVersion:
    if (invalid := validate_profile(profile, creating=False)) is not None:
        return invalid
    row = await Participant.filter(id=participant_id, organization_id=organization_id).first()
    if row is None:
        return NotFound("Participant", str(participant_id))
    version = expected_version if expected_version is not None else row.version
    changes = {
        "display_name": profile.display_name.strip() if profile.display_name is not None else None,
        "email": profile.email.strip().lower() if profile.email is not None else None,
        "timezone": profile.timezone,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    written = await Participant.filter(id=row.id, version=version).update(
        **changes, version=version + 1, updated_at=clock.now()
    )
    if written != 1:
        current = await Participant.get(id=row.id)
        return StaleVersion(row.id, version, current.version)
    return await Participant.get(id=row.id)
