"""Mentors and protégés, with standing owned by their role machine and what follows from it."""

from tortoise import fields
from tortoise.models import Model

from domain.kernel.roles import Role
from domain.standing.machines import is_hidden, needs_booking_approval


class StandingFacts:
    """What follows from a participant's role and standing; shared by the model and its read-only snapshot."""

    role: Role
    standing: str

    @property
    def profile_visible(self) -> bool:
        """Derived from standing: hidden states are hidden from the other role's listings."""
        return not is_hidden(self.role, self.standing)

    @property
    def booking_needs_approval(self) -> bool:
        return needs_booking_approval(self.role, self.standing)


class Participant(StandingFacts, Model):
    """A mentor or protégé. Standing is owned by the role machine, and version guards writes."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField(
        "standing.Organization", related_name="participants", on_delete=fields.RESTRICT
    )
    role = fields.CharEnumField(Role, max_length=16)
    display_name = fields.CharField(max_length=200)
    email = fields.CharField(max_length=320)
    timezone = fields.CharField(max_length=64, default="UTC")
    standing = fields.CharField(max_length=32)
    standing_since = fields.DatetimeField()
    suspended_until = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)
    # Set when repeated non-responsiveness sends a protégé to program review (Protégé Code, Ineligibility).
    program_review = fields.BooleanField(default=False, db_default=False)
    # Set when the protégé's mentor is removed: they need a new mentor (suggestedMentors ranks them).
    needs_rematch = fields.BooleanField(default=False, db_default=False)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    organization_id: int

    class Meta:
        table = "participant"
        indexes = (("organization_id", "role", "standing"),)
