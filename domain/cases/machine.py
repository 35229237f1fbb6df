"""The case machine: open → triaged → investigating → decided → closed, plus dismissed and reopened.

Every step is an admin's, with a reason, recorded in the append-only case log. A decision can only be
taken by an admin who is not a party to the case; a reopened case is triaged again, and its new decision
supersedes the earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from statemachine import State, StateMachine

from domain.kernel.actors import Actor


@dataclass(frozen=True)
class CaseContext:
    """What a case guard may look at: who acts, and the participants who are parties to the case."""

    actor: Actor
    actor_person_id: int | None = None  # the participant the acting admin also is, if any
    parties: frozenset[int] = field(default_factory=frozenset)  # the subject and every reporting participant
    actor_reported: bool = False  # the acting admin's own token reported a concern in this case


class CaseMachine(StateMachine):
    open = State("Open", initial=True)
    triaged = State("Triaged")
    investigating = State("Investigating")
    decided = State("Decided")
    closed = State("Closed")
    dismissed = State("Dismissed")
    reopened = State("Reopened")

    triage = open.to(triaged, cond="actor_is_admin") | reopened.to(triaged, cond="actor_is_admin")
    investigate = triaged.to(investigating, cond="actor_is_admin")
    decide = triaged.to(decided, cond=["actor_is_admin", "actor_not_a_party"]) | investigating.to(
        decided, cond=["actor_is_admin", "actor_not_a_party"]
    )
    close = decided.to(closed, cond="actor_is_admin")
    dismiss = (
        open.to(dismissed, cond="actor_is_admin")
        | triaged.to(dismissed, cond="actor_is_admin")
        | investigating.to(dismissed, cond="actor_is_admin")
        | reopened.to(dismissed, cond="actor_is_admin")
    )
    reopen = (
        decided.to(reopened, cond="actor_is_admin")
        | closed.to(reopened, cond="actor_is_admin")
        | dismissed.to(reopened, cond="actor_is_admin")
    )

    def actor_is_admin(self, ctx: CaseContext) -> bool:
        """only an admin may take this step"""
        return ctx.actor.is_admin

    def actor_not_a_party(self, ctx: CaseContext) -> bool:
        """an admin who is a party to the case (its subject, or one who reported it) may not decide it"""
        return not is_party(ctx)

    @classmethod
    def state_ids(cls) -> list[str]:
        return [state.id for state in cls.states]

    @classmethod
    def event_ids(cls) -> list[str]:
        return [event.id for event in cls.events]  # type: ignore[attr-defined]


def is_party(ctx: CaseContext) -> bool:
    return ctx.actor_reported or (ctx.actor_person_id is not None and ctx.actor_person_id in ctx.parties)


# A case still being handled: new reports about the same facts join it.
ACTIVE_STATES = frozenset({"open", "triaged", "investigating", "reopened"})
# Where a stage is reached: a case past each of these states has been triaged, or decided.
TRIAGED_OR_LATER = frozenset({"triaged", "investigating", "decided", "closed", "dismissed"})
DECIDED_OR_LATER = frozenset({"decided", "closed", "dismissed"})


class _Holder:
    def __init__(self, state: str) -> None:
        self.state = state


def bind_case(state: str) -> tuple[CaseMachine, _Holder]:
    holder = _Holder(state)
    return CaseMachine(model=holder, state_field="state"), holder
