"""The two participant roles of the Code of Conduct."""

from enum import Enum


class Role(str, Enum):
    MENTOR = "mentor"
    PROTEGE = "protege"

    @property
    def other(self) -> "Role":
        return Role.PROTEGE if self is Role.MENTOR else Role.MENTOR
