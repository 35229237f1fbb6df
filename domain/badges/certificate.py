"""Issuing a protégé's certificate of accountability: who may download it, and what it says."""

from __future__ import annotations

from domain.access.principals import Principal
from domain.access.visibility import can_read
from domain.badges.certificate_pdf import CertificateContent, CriterionLine, render_certificate
from domain.badges.machine import HELD
from domain.badges.overrides import policy_for
from domain.badges.perks import perks_for
from domain.badges.policy import BADGE_POLICIES, BadgePolicy
from domain.kernel.roles import Role
from domain.models import BadgeRecord, Organization, Participant


def criteria_in_force(policy: BadgePolicy) -> list[CriterionLine]:
    """Every criterion of the policy in force, worded from its values, marked where the organization set them."""
    code = BADGE_POLICIES[policy.role]
    lines = []
    for criterion in policy.criteria:
        base = code.criterion(criterion.key)
        overridden = (criterion.threshold, criterion.window) != (base.threshold, base.window)
        lines.append(CriterionLine(description=criterion.description, overridden=overridden))
    return lines


async def certificate_pdf(code: str, principal: Principal, *, verification_url: str) -> bytes | None:
    """The PDF for a certificate code, or None when it does not exist or the principal may not see it.
    `verification_url` is the public page that checks this code, printed as a link and a QR code."""
    record = await BadgeRecord.filter(certificate_code=code, state__in=HELD).first()
    if record is None:
        return None
    participant = await Participant.get(id=record.participant_id)
    if not can_read(principal, participant) or not perks_for(Role(participant.role), record.state).certificate:
        return None
    organization = await Organization.get(id=participant.organization_id)
    policy = await policy_for(organization.id, Role.PROTEGE)  # the organization's overrides included
    return render_certificate(
        CertificateContent(
            participant_name=participant.display_name,
            organization_name=organization.name,
            awarded_at=record.awarded_at or record.since,
            criteria=criteria_in_force(policy),
            policy_version=policy.version,
            verification_code=code,
            verification_url=verification_url,
        )
    )
