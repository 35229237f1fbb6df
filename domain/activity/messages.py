"""Messages and responses: the recipient has 48 hours (Mentor Code 8, Protégé Code 4)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.activity.acting import Acting
from domain.activity.policy import ACTIVITY_POLICY
from domain.activity.relationships import in_mentorship
from domain.kernel.clock import Clock
from domain.kernel.rejections import ActivityRejection, InvalidInput, NotFound, NotPermitted
from domain.models import Message, Participant
from domain.protection.no_contact import contact_refusal


@dataclass(frozen=True)
class SendMessage:
    sender_id: int
    recipient_id: int


@dataclass(frozen=True)
class RespondToMessage:
    message_id: int


async def send_message(acting: Acting, cmd: SendMessage, clock: Clock) -> Message | ActivityRejection:
    if cmd.sender_id == cmd.recipient_id:
        return InvalidInput("recipientId", "a message goes to someone else")
    for participant_id in (cmd.sender_id, cmd.recipient_id):
        if not await Participant.filter(id=participant_id, organization_id=acting.organization_id).exists():
            return NotFound("Participant", str(participant_id))
    if not acting.may_act_for(cmd.sender_id):
        return NotPermitted("participants send messages as themselves")
    if not acting.is_admin and not await in_mentorship(cmd.sender_id, cmd.recipient_id):
        # A message opens a 48-hour window against its recipient: strangers cannot open one.
        return NotPermitted("a participant messages only the people they are in a mentorship with")
    now = clock.now()
    if refused := await contact_refusal(cmd.sender_id, cmd.recipient_id, acting.as_participant, now):
        return refused
    return await Message.create(
        organization_id=acting.organization_id,
        sender_id=cmd.sender_id,
        recipient_id=cmd.recipient_id,
        sent_at=now,
        respond_by=now + ACTIVITY_POLICY.response_window.value,
    )


async def respond_to_message(acting: Acting, cmd: RespondToMessage, clock: Clock) -> Message | ActivityRejection:
    message = await Message.filter(id=cmd.message_id, organization_id=acting.organization_id).first()
    if message is None or not acting.may_act_for(message.recipient_id):
        return NotFound("Message", str(cmd.message_id))
    if message.responded_at is None:  # the first response is the one that counts
        message.responded_at = max(clock.now(), message.sent_at)
        await message.save(update_fields=["responded_at"])
    return message
