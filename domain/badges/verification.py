"""Verifying a certificate: what anyone holding its code may learn, with no token and no contact details.

The public page /certificates/verify/<code> shows these facts, and GraphQL's `verifyCertificate` gives the same
ones, so a certificate says the same thing wherever it is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from domain.badges.machine import HELD
from domain.kernel.roles import Role
from domain.models import BadgeRecord, ErasureRequest, Organization, Participant
from domain.standing.machines import machine_class
from domain.standing.replay import LogDoesNotReplay, standing_at

CODE_LENGTH = 16  # what evaluation issues: 8 random bytes, in hex


@dataclass(frozen=True)
class CertificateFacts:
    code: str
    name: str
    organization_name: str  # the organization's display name, never its slug
    role: Role
    awarded_at: datetime
    badge_status: str  # the badge machine's state now: awarded, at_risk, revoked
    still_held: bool  # awarded or at risk: an at-risk badge keeps its perks through the cure window
    # Whether their standing at `checked_at`, replayed from the log, is their ladder's first rung; None when the
    # log does not replay (a bug, logged by the replay): the certificate then vouches for nothing about standing.
    in_good_standing: bool | None
    standing_since: datetime | None
    checked_at: datetime  # the instant "in good standing on <date>" is about: the verification's own


def is_certificate_code(text: str) -> bool:
    """The shape of a code, checked before any query: anything else is no certificate."""
    return len(text) == CODE_LENGTH and all(c in "0123456789abcdef" for c in text)


async def verify_certificate(code: str, at: datetime | None = None) -> CertificateFacts | None:
    """The facts behind a certificate code, or None when no badge carries it (a re-award issues a new code).
    Standing is the replay of the log at `at`, the moment of verification (default: now)."""
    if not is_certificate_code(code):
        return None
    record = await BadgeRecord.filter(certificate_code=code).first()
    if record is None or record.awarded_at is None:
        return None
    if await ErasureRequest.exists(participant_id=record.participant_id, status="done"):
        return None  # an erased person's certificates verify nothing, even one awarded to the pseudonym later
    participant = await Participant.get(id=record.participant_id)
    organization = await Organization.get(id=participant.organization_id)
    role = Role(participant.role)
    checked_at = at or datetime.now(UTC)
    standing = await standing_at(participant, checked_at)
    replayed = standing if standing is not None and not isinstance(standing, LogDoesNotReplay) else None
    return CertificateFacts(
        code=code,
        name=participant.display_name,
        organization_name=organization.name,
        role=role,
        awarded_at=record.awarded_at,
        badge_status=replayed.badge.status if replayed else record.state,
        still_held=(replayed.badge.status if replayed else record.state) in HELD,
        in_good_standing=replayed.state == machine_class(role).initial_state.id if replayed else None,
        standing_since=replayed.since if replayed else None,
        checked_at=checked_at,
    )
