"""Excused leave granted to a protégé, pausing their clocks."""

from __future__ import annotations

from cli.demo.engine import Engine
from cli.demo.people import Protege
from domain.deadlines.leave import grant_leave
from domain.kernel.rejections import InvalidInput, NotFound


class Leave(Engine):
    """Leave, through the deadlines' own use case."""

    async def grant_leave(self, p: Protege) -> None:
        assert p.leave
        result = await grant_leave(
            organization_id=self.organization.id,
            participant_id=p.id,
            starts_at=p.leave[0],
            ends_at=p.leave[1],
            reason="Family leave agreed with the program: clocks paused",
            granted_by=self.admin,
            clock=self.clock,
        )
        if isinstance(result, (InvalidInput, NotFound)):
            self.rejected[("leave", type(result).__name__)] += 1
