"""The two ladders' rungs in order, each downward step's way back, and which steps are lighter than which.

Notices are written for the downward steps; an appeal overturns one through its way back, or reduces it to a
lighter rung of the same ladder; a case that is decided again undoes its earlier rung the same way.
"""

from __future__ import annotations

# Each downward step, and the machine event that undoes it.
WAY_BACK = {
    "issue_notice": "clear_notice",
    "suspend": "lift_suspension",
    "remove": "undo_removal",
    "send_reminder": "approve_reschedule",
    "issue_warning": "restore_good_standing",
    "mark_ineligible": "restore_good_standing",
}
DOWNWARD = frozenset(WAY_BACK)

# Each ladder's rungs from the lightest, and the state each rung leads to.
RUNGS = {
    "mentor": [("issue_notice", "first_notice"), ("suspend", "suspended"), ("remove", "removed")],
    "protege": [("send_reminder", "reminder"), ("issue_warning", "warning"), ("mark_ineligible", "ineligible")],
}


def lighter_rungs(event: str) -> list[str]:
    """The rungs below `event` on its ladder, lightest first."""
    for rungs in RUNGS.values():
        events = [e for e, _ in rungs]
        if event in events:
            return events[: events.index(event)]
    return []


def state_of_rung(event: str) -> str:
    return next(state for rungs in RUNGS.values() for e, state in rungs if e == event)
