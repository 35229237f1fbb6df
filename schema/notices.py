"""Written notices over GraphQL: participants read and acknowledge their own, admins preview the exact text of
a step before taking it and reword their organization's templates. Partners never read notices: their text
is the participant's."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain.access.principals import Principal, TokenRole
from domain.cases.decisions import preview_case_notice
from domain.kernel.rejections import InvalidInput, NotFound, is_rejection
from domain.models import Notice as NoticeRow
from domain.notices.issuing import Rendered, preview_notice
from domain.notices.reading import acknowledge_notice
from domain.notices.settings import NoticeSettings, notice_settings, set_notice_templates
from domain.standing.ladder import DOWNWARD
from schema.cases import case_actor
from schema.context import admin_of, principal_of
from schema.enums import StandingEvent
from schema.errors import AuthError, InvalidInputError, NotFoundError, to_graphql
from schema.ids import any_id

MAX_NOTICES = 100


@strawberry.type(description="The six parts every notice has.")
class NoticeParts:
    facts: str = strawberry.field(description="What happened, from the evidence or the case.")
    code_section: str = strawberry.field(description="The section of the Code the step enforces.")
    consequence: str = strawberry.field(description='What it means, e.g. "your profile is hidden until 12 March".')
    support: str = strawberry.field(description="The support offered: a named person or resource.")
    remedy: str = strawberry.field(description="How to put things right.")
    appeal: str = strawberry.field(description="How to appeal, and by when.")

    @classmethod
    def from_parts(cls, parts: dict[str, str]) -> NoticeParts:
        return cls(**parts)


@strawberry.type(description="A written notice to a participant, exactly as issued. Its text never changes.")
class Notice:
    id: strawberry.ID
    participant_id: strawberry.ID
    template_key: str = strawberry.field(description="The template it was written from: the step or appeal outcome.")
    template_version: str = strawberry.field(description="The template's version (+org.… for an organization's).")
    title: str
    parts: NoticeParts
    body: str = strawberry.field(description="The whole text, the six parts in order under their headings.")
    appeal_by: datetime | None = strawberry.field(description="The last moment to appeal the step, if appealable.")
    transition_id: strawberry.ID | None = strawberry.field(description="The step the notice tells of.")
    appeal_id: strawberry.ID | None = strawberry.field(description="The appeal whose decision it tells of.")
    issued_at: datetime
    acknowledged_at: datetime | None

    @classmethod
    def from_row(cls, row: NoticeRow) -> Notice:
        return cls(
            id=strawberry.ID(str(row.id)),
            participant_id=strawberry.ID(str(row.participant_id)),
            template_key=row.template_key,
            template_version=row.template_version,
            title=row.title,
            parts=NoticeParts.from_parts(row.parts),
            body=row.body,
            appeal_by=row.appeal_by,
            transition_id=strawberry.ID(str(row.transition_id)) if row.transition_id else None,
            appeal_id=strawberry.ID(str(row.appeal_id)) if row.appeal_id else None,
            issued_at=row.issued_at,
            acknowledged_at=row.acknowledged_at,
        )


@strawberry.type(description="The exact notice a step would write if taken now. Nothing is written.")
class NoticePreview:
    template_key: str
    template_version: str
    title: str
    parts: NoticeParts
    body: str
    appeal_by: datetime | None

    @classmethod
    def from_rendered(cls, rendered: Rendered) -> NoticePreview:
        return cls(
            template_key=rendered.template_key,
            template_version=rendered.template_version,
            title=rendered.title,
            parts=NoticeParts.from_parts(rendered.parts),
            body=rendered.body,
            appeal_by=rendered.appeal_by,
        )


@strawberry.type(description="The organization's notice wording and the support contact notices name.")
class NoticeSettingsPayload:
    templates: JSON = strawberry.field(description="The organization's overrides by template key; {} for none.")
    support_contact: str | None
    versions: JSON = strawberry.field(description="Every template key and the version now in force.")

    @classmethod
    def from_settings(cls, settings: NoticeSettings) -> NoticeSettingsPayload:
        return cls(
            templates=settings.templates,  # type: ignore[arg-type]
            support_contact=settings.support_contact,
            versions=settings.versions,  # type: ignore[arg-type]
        )


@strawberry.input
class PreviewNoticeInput:
    participant_id: strawberry.ID
    event: StandingEvent = strawberry.field(description="The downward step you are about to take.")
    reason: str
    until: datetime | None = strawberry.field(default=None, description="A suspension's end.")
    case_id: strawberry.ID | None = strawberry.field(
        default=None, description="The case you will decide with this step: the notice then rests on it."
    )


@strawberry.input
class NoticeTemplatesInput:
    templates: JSON = strawberry.field(
        description='Your wording by template key, e.g. {"suspend": {"parts": {...all six...}}}; {} restores ours.'
    )
    support_contact: str | None = strawberry.field(
        default=None, description='Who a sanctioned participant can turn to, e.g. "Ana Ruiz, programme lead".'
    )
    reason: str


PreviewNoticeResult = Annotated[
    NoticePreview | NotFoundError | InvalidInputError, strawberry.union("PreviewNoticeResult")
]
AcknowledgeNoticeResult = Annotated[Notice | NotFoundError, strawberry.union("AcknowledgeNoticeResult")]
SetNoticeTemplatesResult = Annotated[
    NoticeSettingsPayload | InvalidInputError | NotFoundError, strawberry.union("SetNoticeTemplatesResult")
]


def _notice_reader(info: Info, participant_id: strawberry.ID | None) -> tuple[Principal, int]:
    """Whose notices the caller may read: a participant their own, an admin any of the organization's."""
    principal = principal_of(info)
    if principal.role is TokenRole.PARTICIPANT and principal.participant_id is not None:
        return principal, principal.participant_id
    if principal.role is TokenRole.ADMIN:
        if participant_id is None:
            raise AuthError("BAD_USER_INPUT", "an admin names the participant whose notices to read (participantId)")
        return principal, any_id(participant_id)
    raise AuthError("FORBIDDEN", "notices are read by the participant they are written to, and by admins")


@strawberry.type
class NoticeQueries:
    @strawberry.field(
        description="Notices written to you (participant tokens), or to a participant (admins), newest first."
    )
    async def notices(
        self, info: Info, participant_id: strawberry.ID | None = None, unacknowledged_only: bool = False
    ) -> list[Notice]:
        principal, whose = _notice_reader(info, participant_id)
        query = NoticeRow.filter(participant_id=whose, organization_id=principal.organization_id)
        if unacknowledged_only:
            query = query.filter(acknowledged_at=None)
        return [Notice.from_row(row) for row in await query.order_by("-id").limit(MAX_NOTICES)]

    @strawberry.field(
        description="The exact notice a downward step would write now, before you take it (admins). With caseId, "
        "the notice deciding that case would write."
    )
    async def preview_notice(self, info: Info, input: PreviewNoticeInput) -> PreviewNoticeResult:
        principal = admin_of(info)
        event = input.event.value
        if event not in DOWNWARD:
            return InvalidInputError(message=f"{event} writes no notice: only downward steps do", field="event")
        result: Rendered | NotFound | InvalidInput | None
        if input.case_id is not None:
            result = await preview_case_notice(
                any_id(input.case_id),
                event,
                input.reason,
                by=case_actor(principal),
                clock=info.context.clock,
                until=input.until,
            )
        else:
            result = await preview_notice(
                organization_id=principal.organization_id,
                participant_id=any_id(input.participant_id),
                event=event,
                reason=input.reason,
                actor_kind=principal.actor.kind.value,
                now=info.context.clock.now(),
                until=input.until,
            )
        if result is None:
            return NotFoundError(message="no such participant", entity="Participant", id=input.participant_id)
        if is_rejection(result):
            return to_graphql(result)  # type: ignore[return-value]
        return NoticePreview.from_rendered(result)  # type: ignore[arg-type]

    @strawberry.field(description="Your organization's notice wording, support contact and template versions (admins).")
    async def notice_settings(self, info: Info) -> NoticeSettingsPayload | None:
        settings = await notice_settings(admin_of(info).organization_id)
        return NoticeSettingsPayload.from_settings(settings) if settings else None


@strawberry.type
class NoticeMutations:
    @strawberry.mutation(description="Say you have read one of your notices (participant tokens).")
    async def acknowledge_notice(self, info: Info, notice_id: strawberry.ID) -> AcknowledgeNoticeResult:
        principal = principal_of(info)
        if principal.role is not TokenRole.PARTICIPANT or principal.participant_id is None:
            raise AuthError("FORBIDDEN", "a notice is acknowledged by the participant it is written to")
        result = await acknowledge_notice(
            participant_id=principal.participant_id, notice_id=any_id(notice_id), clock=info.context.clock
        )
        return Notice.from_row(result) if isinstance(result, NoticeRow) else to_graphql(result)  # type: ignore[return-value]

    @strawberry.mutation(
        description="Reword your organization's notices and name the support they offer (admins). A template "
        "lacking any of the six parts is refused, and nothing changes."
    )
    async def set_notice_templates(self, info: Info, input: NoticeTemplatesInput) -> SetNoticeTemplatesResult:
        principal = admin_of(info)
        result = await set_notice_templates(
            principal.organization_id,
            input.templates,
            input.support_contact,
            reason=input.reason,
            actor=principal.actor,
            clock=info.context.clock,
        )
        if isinstance(result, NoticeSettings):
            return NoticeSettingsPayload.from_settings(result)
        return to_graphql(result)  # type: ignore[return-value]
