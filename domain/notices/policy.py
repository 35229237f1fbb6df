"""When an unread notice earns a nudge, and what each downward step says about the Code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.kernel.thresholds import Threshold


@dataclass(frozen=True)
class NoticePolicy:
    version: str
    acknowledge_within: Threshold
    default_support: str  # the support offered when an organization has named nobody


NOTICE_POLICY = NoticePolicy(
    version="notices-2026.1",
    acknowledge_within=Threshold(timedelta(days=7), "Standing's choice: a notice unread after a week is nudged."),
    default_support="your program admins (reply to this notice and a named admin takes it up)",
)

# The section of the Code each step enforces, in the Code's own headings.
CODE_SECTIONS = {
    "issue_notice": "Mentor Code of Conduct, Violations & Review: First Notice (a written reminder with support offered)",
    "suspend": "Mentor Code of Conduct, Violations & Review: Second Notice (temporary suspension of profile visibility)",
    "remove": "Mentor Code of Conduct, Violations & Review: Final Action (removal from platform and mentorship role)",
    "send_reminder": "Protégé Code of Conduct, Accountability Expectations: Reminder (2+ sessions missed without notice)",
    "issue_warning": "Protégé Code of Conduct, Accountability Expectations: Warning (inactivity beyond 60 days)",
    "mark_ineligible": "Protégé Code of Conduct, Accountability Expectations: Ineligibility (repeated non-responsiveness)",
}
STEP_NAMES = {
    "issue_notice": "first notice",
    "suspend": "suspension",
    "remove": "removal",
    "send_reminder": "reminder",
    "issue_warning": "warning",
    "mark_ineligible": "ineligibility",
}
STATE_NAMES = {
    "good": "good standing",
    "first_notice": "first notice",
    "suspended": "suspension",
    "removed": "removal",
    "reminder": "reminder",
    "warning": "warning",
    "ineligible": "ineligibility",
}
