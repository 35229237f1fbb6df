"""Issuing a protégé's certificate of accountability: who may download it, and what it says."""

from __future__ import annotations

from domain.access import Principal, can_read
from domain.badge_policy import BADGE_POLICIES
from domain.certificate import CertificateContent, render_certificate
from domain.models import BadgeRecord, Organization, Participant
from domain.perks import perks_for
from domain.roles import Role


async def certificate_pdf(code: str, principal: Principal) -> bytes | None:
    """The PDF for a certificate code, or None when it does not exist or the principal may not see it."""
    record = await BadgeRecord.filter(certificate_code=code, state="awarded").first()
    if record is None:
        return None
    participant = await Participant.get(id=record.participant_id)
    if not can_read(principal, participant) or not perks_for(Role(participant.role), record.state).certificate:
        return None
    organization = await Organization.get(id=participant.organization_id)
    descriptions = {c.key: c.description for c in BADGE_POLICIES[Role.PROTEGE].criteria}
    met = [descriptions.get(item["key"], item["description"]) for item in record.criteria if item["met"]]
    return render_certificate(CertificateContent(
        participant_name=participant.display_name, organization_name=organization.name,
        awarded_at=record.awarded_at or record.since, criteria=met, verification_code=code,
    ))
