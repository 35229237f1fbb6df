"""Protégé standing — Protégé Code of Conduct, "Accountability Expectations".

good → reminder (2+ missed sessions: rescheduling needs admin approval) → warning (inactivity:
hidden from mentors) → ineligible (repeated non-responsiveness: badge removed, program review).
An admin approves a reschedule, and restores good standing after review. Renewed activity may
restore a protégé from a warning; only an admin restores one who is ineligible.
"""

from __future__ import annotations

from statemachine import State

from domain.kernel.roles import Role
from domain.standing.machines.base import StandingMachine


class ProtegeStanding(StandingMachine):
    role = Role.PROTEGE
    # Ineligible is past a warning, so it hides the profile too.
    hidden_states = frozenset({"warning", "ineligible"})
    approval_states = frozenset({"reminder"})

    good = State("Good standing", initial=True)
    reminder = State("Reminder")
    warning = State("Warning")
    ineligible = State("Ineligible")

    send_reminder = good.to(reminder, cond="by_admin_or_system")
    approve_reschedule = reminder.to(good, cond="admin_or_reversal")
    issue_warning = good.to(warning, cond="by_admin_or_system") | reminder.to(warning, cond="by_admin_or_system")
    mark_ineligible = (
        good.to(ineligible, cond="by_admin_or_system")
        | reminder.to(ineligible, cond="by_admin_or_system")
        | warning.to(ineligible, cond="by_admin_or_system")
    )
    restore_good_standing = warning.to(good) | ineligible.to(good, cond="admin_or_reversal")
