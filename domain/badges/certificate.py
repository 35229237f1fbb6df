"""Issuing a protégé's certificate of accountability: who may download it, and what it says."""

from __future__ import annotations

from domain.access.principals import Principal
from domain.access.visibility import can_read
from domain.badges.certificate_pdf import CertificateContent, render_certificate
from domain.badges.machine import HELD
from domain.badges.overrides import policy_for
from domain.badges.perks import perks_for
from domain.kernel.roles import Role
from domain.models import BadgeRecord, Organization, Participant


async def certificate_pdf(code: str, principal: Principal) -> bytes | None:
    """The PDF for a certificate code, or None when it does not exist or the principal may not see it."""
    record = await BadgeRecord.filter(certificate_code=code, state__in=HELD).first()
    if record is None:
        return None
    participant = await Participant.get(id=record.participant_id)
    if not can_read(principal, participant) or not perks_for(Role(participant.role), record.state).certificate:
        return None
    organization = await Organization.get(id=participant.organization_id)
    # The criteria in force for this organization, its overrides included, worded from their values.
    policy = await policy_for(organization.id, Role.PROTEGE)
    met = {item["key"] for item in record.criteria if item["met"]}
    return render_certificate(
        CertificateContent(
            participant_name=participant.display_name,
            organization_name=organization.name,
            awarded_at=record.awarded_at or record.since,
            criteria=[c.description for c in policy.criteria if c.key in met],
            verification_code=code,
        )
    )
