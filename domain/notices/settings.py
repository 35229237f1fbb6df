"""An organization's own wording of its notices, and the support contact they name: set by an admin with a
reason, validated part by part, and recorded like the other policy overrides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.infra.db import transaction
from domain.kernel.actors import Actor
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound
from domain.kernel.text import has_nul, reason_problem
from domain.models import BadgePolicyChange, Organization
from domain.notices.templates import template_for, validate_overrides

MAX_CONTACT = 300


@dataclass(frozen=True)
class NoticeSettings:
    templates: dict[str, Any]  # the organization's overrides, by template key
    support_contact: str | None
    versions: dict[str, str]  # every template key and the version now in force


async def set_notice_templates(
    organization_id: int,
    templates: Any,
    support_contact: str | None,
    *,
    reason: str,
    actor: Actor,
    clock: Clock,
) -> NoticeSettings | InvalidInput | NotFound:
    """Replace the organization's template overrides ({} restores Standing's wording) and support contact.
    A template lacking one of the six parts is refused, and nothing is written."""
    if (wrong := validate_overrides(templates)) is not None:
        return InvalidInput("templates", wrong)
    contact = (support_contact or "").strip() or None
    if contact is not None and (len(contact) > MAX_CONTACT or has_nul(contact)):
        return InvalidInput("supportContact", f"a named person or resource, in at most {MAX_CONTACT} characters")
    if (problem := reason_problem(reason, required=True)) is not None:
        return problem
    kept = templates or None
    versions = _versions(kept)
    async with transaction() as conn:
        organization = (
            await Organization.filter(id=organization_id).select_for_update(no_key=True).using_db(conn).first()
        )
        if organization is None:
            return NotFound("Organization", str(organization_id))
        previous = {"templates": organization.notice_templates, "support_contact": organization.support_contact}
        await (
            Organization.filter(id=organization_id)
            .using_db(conn)
            .update(notice_templates=kept, support_contact=contact)
        )
        await BadgePolicyChange.create(
            using_db=conn,
            organization_id=organization_id,
            policy="notices",
            actor_kind=actor.kind.value,
            actor_id=actor.id,
            reason=reason.strip(),
            previous=previous,
            overrides={"templates": kept, "support_contact": contact},
            versions=versions,
            occurred_at=clock.now(),
        )
    return NoticeSettings(kept or {}, contact, versions)


async def notice_settings(organization_id: int) -> NoticeSettings | None:
    organization = await Organization.filter(id=organization_id).first()
    if organization is None:
        return None
    return NoticeSettings(
        organization.notice_templates or {}, organization.support_contact, _versions(organization.notice_templates)
    )


def _versions(overrides: dict[str, Any] | None) -> dict[str, str]:
    from domain.notices.templates import shipped

    return {key: template_for(key, overrides).version for key in sorted(shipped())}
