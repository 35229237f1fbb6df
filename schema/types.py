"""Thin GraphQL views over domain rows. Scalars are plain attributes; relations go through loaders."""

from __future__ import annotations

import base64
import inspect
import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment
from strawberry.types.unset import UNSET, UnsetType
from tortoise.queryset import QuerySet

from domain.access.visibility import can_see_contact, visible_participants
from domain.events.outbox import reason_code
from domain.infra.snapshots import ParticipantRead, ParticipantSnapshot, Snapshots
from domain.kernel.actors import Actor as DomainActor
from domain.kernel.actors import ActorKind as DomainActorKind
from domain.models import BadgeRecord, TransitionRecord
from domain.models import Organization as OrganizationRow
from domain.standing.apply import allowed_events
from domain.standing.machines import machine_name
from schema.badge_types import Badge
from schema.context import principal_of
from schema.enums import ActorKind, Role, StandingEvent, StandingState, TokenRole, TransitionOutcome
from schema.errors import InputError
from schema.ids import parse_database_id
from schema.loaders import BadgeSummary, load_badge_summaries, load_badges

if TYPE_CHECKING:
    from schema.appeals import Appeal
    from schema.over_time import StandingAtResult

MAX_PAGE = 100


@strawberry.type
class Organization:
    id: strawberry.ID
    slug: str
    name: str

    @classmethod
    def from_row(cls, row: OrganizationRow) -> Organization:
        return cls(id=strawberry.ID(str(row.id)), slug=row.slug, name=row.name)


@strawberry.type(description="Who or what made a decision.")
class Actor:
    kind: ActorKind
    id: str


@strawberry.type(name="Transition", description="One row of the append-only transition log.")
class TransitionEntry:
    id: strawberry.ID
    machine: str
    from_state: StandingState
    to_state: StandingState
    event: StandingEvent
    actor: Actor
    reason: str = strawberry.field(
        description="Why, in the decider's words. Partners get the reason code instead: free text is not theirs."
    )
    reason_code: str = strawberry.field(description="The rule that decided, or admin.<event> / participant.<event>.")
    evidence: JSON = strawberry.field(description="What the decision rested on; empty for partners.")
    policy_version: str
    occurred_at: datetime
    outcome: TransitionOutcome = strawberry.field(
        description="APPLIED, or HELD: automation would have taken the step and a lock or an open appeal held it."
    )
    overrules: strawberry.ID | None = strawberry.field(
        description="The step this one overrules: an appeal's reversal or reduction points at the step appealed."
    )
    row: strawberry.Private[TransitionRecord]
    for_partner: strawberry.Private[bool]

    @strawberry.field(description="Until when this step may be appealed; null for a step that cannot be.")
    def appealable_until(self) -> datetime | None:
        from domain.appeals.filing import appealable, appealable_until

        return appealable_until(self.row) if appealable(self.row) else None

    @strawberry.field(description="The appeal of this step, if one was filed. Partners never see appeals.")
    async def appeal(self) -> Annotated[Appeal, strawberry.lazy("schema.appeals")] | None:
        from domain.models import Appeal as AppealRow
        from schema.appeals import Appeal

        if self.for_partner:
            return None
        row = await AppealRow.filter(transition_id=self.row.id).first()
        return Appeal.from_row(row) if row else None

    @strawberry.field(description="The later step that overruled this one (an appeal's reversal), if any.")
    async def overruled_by(self) -> strawberry.ID | None:
        later = await TransitionRecord.filter(overrules=self.row.id).order_by("id").first()
        return strawberry.ID(str(later.id)) if later else None

    @classmethod
    def from_row(cls, row: TransitionRecord, *, for_partner: bool = False) -> TransitionEntry:
        code = reason_code(row.actor_kind, row.actor_id, row.event)
        return cls(
            id=strawberry.ID(str(row.id)),
            machine=row.machine,
            from_state=StandingState(row.from_state),
            to_state=StandingState(row.to_state),
            event=StandingEvent(row.event),
            actor=Actor(kind=ActorKind(row.actor_kind), id=row.actor_id),
            reason=code if for_partner else row.reason,
            reason_code=code,
            evidence={} if for_partner else row.evidence,
            policy_version=row.policy_version,
            occurred_at=row.occurred_at,
            outcome=TransitionOutcome(row.outcome),
            overrules=strawberry.ID(str(row.overrules)) if row.overrules else None,
            row=row,
            for_partner=for_partner,
        )


@strawberry.type
class TransitionEdge:
    cursor: str
    node: TransitionEntry


@strawberry.type
class TransitionConnection:
    edges: list[TransitionEdge]
    page_info: relay.PageInfo


def history_cursor(record_id: int) -> str:
    return base64.b64encode(f"transition:{record_id}".encode()).decode()


def parse_history_cursor(cursor: str) -> int:
    """The log id in a history cursor; a malformed cursor is the caller's error, said as one."""
    try:
        kind, _, value = base64.b64decode(cursor.encode(), validate=True).decode().partition(":")
    except (ValueError, UnicodeError):
        kind, value = "", ""
    if kind != "transition" or not re.fullmatch(r"[0-9]{1,18}", value):
        raise InputError(f"invalid history cursor {cursor[:40]!r}: pass an endCursor this API returned")
    return int(value)


def offset_of_cursor(cursor: str) -> int | None:
    """The offset a page cursor of ours names (`arrayconnection:<n>` in base64), or None for any other text."""
    try:
        kind, _, value = base64.b64decode(cursor.encode(), validate=True).decode().partition(":")
    except (ValueError, UnicodeError):
        return None
    return int(value) if kind == "arrayconnection" and re.fullmatch(r"[0-9]{1,9}", value) else None


def check_offset_cursor(cursor: str | None, argument: str) -> None:
    """Refuse a page cursor that is not one of ours (strawberry's ListConnection would raise a bare error)."""
    if cursor is not None and offset_of_cursor(cursor) is None:
        raise InputError(f"invalid {argument} cursor {cursor[:40]!r}: pass a cursor this API returned")


@strawberry.type(description="A participant's standing, as its role's machine defines it.")
class Standing:
    state: StandingState
    since: datetime
    suspended_until: datetime | None
    machine: str
    row: strawberry.Private[ParticipantRead]

    @strawberry.field(description="Events an admin of this organization may send now.")
    def allowed_events(self, info: Info) -> list[StandingEvent]:
        principal = principal_of(info)
        as_admin = DomainActor(DomainActorKind.ADMIN, f"token:{principal.token_id}")
        return [StandingEvent(e) for e in allowed_events(self.row, as_admin, info.context.clock)]

    @strawberry.field(description="The transition log, newest first.")
    async def history(self, info: Info, first: int = 20, after: str | None = None) -> TransitionConnection:
        limit = max(1, min(first, MAX_PAGE))
        before = parse_history_cursor(after) if after else None
        rows = await info.context.loaders.history.load((self.row.id, limit + 1, before))
        page = rows[:limit]
        for_partner = principal_of(info).role is TokenRole.PARTNER
        edges = [
            TransitionEdge(cursor=history_cursor(r.id), node=TransitionEntry.from_row(r, for_partner=for_partner))
            for r in page
        ]
        return TransitionConnection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=len(rows) > limit,
                has_previous_page=before is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )


def _email(self, info: Info) -> str | None:
    return self.row.email if can_see_contact(principal_of(info), self.row) else None


@strawberry.type(name="Participant")
class ParticipantNode(relay.Node):
    id: relay.NodeID[int]
    role: Role
    display_name: str
    timezone: str
    version: int
    profile_visible: bool = strawberry.field(description="Derived from standing.")
    booking_needs_approval: bool = strawberry.field(description="A protégé in reminder books only with admin approval.")
    program_review: bool = strawberry.field(description="Sent to program review for repeated non-responsiveness.")
    needs_rematch: bool = strawberry.field(
        description="A protégé whose mentor was removed: suggestedMentors ranks mentors to book instead."
    )
    created_at: datetime
    row: strawberry.Private[ParticipantRead]
    # Set when the page this node is on loaded every badge at once (see ParticipantConnection).
    badge_record: strawberry.Private[BadgeRecord | BadgeSummary | None | UnsetType] = UNSET

    @classmethod
    def from_row(cls, row: ParticipantRead) -> ParticipantNode:
        return cls(
            id=row.id,
            role=row.role,
            display_name=row.display_name,
            timezone=row.timezone,
            version=row.version,
            profile_visible=row.profile_visible,
            booking_needs_approval=row.booking_needs_approval,
            program_review=row.program_review,
            needs_rematch=row.needs_rematch,
            created_at=row.created_at,
            row=row,
            # A plain attribute, not a resolver: graphql-core reads it without calling into Strawberry.
            standing=Standing(
                state=StandingState(row.standing),
                since=row.standing_since,
                suspended_until=row.suspended_until,
                machine=machine_name(row.role),
                row=row,
            ),
        )

    @classmethod
    def resolve_typename(cls, root: ParticipantNode, info: Info) -> str:
        return "Participant"  # what relay.Node reads from info.path on every node, known in advance

    email: str | None = strawberry.field(
        resolver=_email, description="Only admins and the participant themself see contact details."
    )
    standing: Standing

    @strawberry.field(description="The Accountability Badge, its evidence and perks.")
    def badge(self, info: Info) -> Badge:
        # Sync when the page preloaded the badge; otherwise an awaitable, which graphql-core awaits.
        if self.badge_record is not UNSET:
            return Badge.from_record(self.row, cast("BadgeRecord | BadgeSummary | None", self.badge_record))
        return self._load_badge(info)  # type: ignore[return-value]

    async def _load_badge(self, info: Info) -> Badge:
        return Badge.from_record(self.row, await info.context.loaders.badge.load(self.row.id))

    @strawberry.field(
        description="Standing and badge at an instant, rebuilt by replaying the transition log through the machines; "
        "null before the participant registered."
    )
    async def standing_at(
        self, info: Info, at: datetime
    ) -> Annotated[StandingAtResult, strawberry.lazy("schema.over_time")] | None:
        from schema.over_time import resolve_standing_at

        return await resolve_standing_at(self.row, info, at)

    @strawberry.field
    async def organization(self, info: Info) -> Organization:
        return Organization.from_row(await info.context.loaders.organization.load(self.row.organization_id))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        wanted = [i for i in (parse_database_id(n) for n in node_ids) if i is not None]
        rows = await visible_participants(principal_of(info)).filter(id__in=wanted)
        by_id = {r.id: cls.from_row(r) for r in rows}
        return [by_id.get(parse_database_id(n) or -1) for n in node_ids]


def selects(selections: Iterable, path: tuple[str, ...]) -> bool:
    """Whether a selection set asks for `path` (field names), through fragments too."""
    for selection in selections:
        if isinstance(selection, (FragmentSpread, InlineFragment)):
            if selects(selection.selections, path):
                return True
        elif selection.name == path[0] and (len(path) == 1 or selects(selection.selections, path[1:])):
            return True
    return False


@strawberry.type
class ParticipantConnection(relay.ListConnection[ParticipantNode]):
    @classmethod
    def resolve_node(cls, node: ParticipantSnapshot, *, info: Info, **kwargs) -> ParticipantNode:
        return ParticipantNode.from_row(node)

    @classmethod
    def resolve_connection(cls, nodes, *, info: Info, **kwargs):
        """The page, read as snapshots rather than ORM instances, with every node's badge loaded in one
        statement when the query asks for badges, so that `badge` resolves without an await per node."""
        check_offset_cursor(kwargs.get("after"), "after")
        check_offset_cursor(kwargs.get("before"), "before")
        for argument in ("first", "last"):
            if (count := kwargs.get(argument)) is not None and not 0 <= count <= MAX_PAGE:
                raise InputError(f"{argument} must be between 0 and {MAX_PAGE}, got {count}")
        if isinstance(nodes, QuerySet):
            nodes = Snapshots(nodes)
        page = super().resolve_connection(nodes, info=info, **kwargs)

        def asks_for(*path: str) -> bool:
            return any(selects(field.selections, ("edges", "node", "badge", *path)) for field in info.selected_fields)

        if not asks_for():
            return page
        # The evidence (a JSON document per badge) is read only when the criteria or the advice are shown.
        load = load_badges if asks_for("criteria") or asks_for("advice") else load_badge_summaries

        async def with_badges():
            connection = await page if inspect.isawaitable(page) else page
            found = [edge.node for edge in connection.edges]
            if found:
                # One statement for the page, straight from the loader's batch function: going through
                # the DataLoader would only add a future per node.
                records = await load([node.row.id for node in found])
                for node, record in zip(found, records, strict=False):
                    node.badge_record = record
            return connection

        return with_badges()


@strawberry.type(description="A profile the other role may see in its directory. No standing, no contact.")
class Profile:
    id: strawberry.ID
    role: Role
    display_name: str
    timezone: str


@strawberry.type
class Viewer:
    role: TokenRole
    organization_id: strawberry.ID
    participant_id: strawberry.ID | None
