"""Per-request context: who is asking, the clock, and batch loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info

from domain.access.principals import Principal
from domain.kernel.clock import Clock
from schema.errors import AuthError
from schema.loaders import Loaders


@dataclass
class Context:
    clock: Clock
    principal: Principal | None = None
    request: Any = None
    response: Any = None
    connection_params: dict[str, Any] | None = None
    _loaders: Loaders | None = field(default=None, repr=False)

    @property
    def loaders(self) -> Loaders:
        """Made on first use: most requests (one participant's standing) need none."""
        if self._loaders is None:
            self._loaders = Loaders()
        return self._loaders


def principal_of(info: Info) -> Principal:
    principal = info.context.principal
    if principal is None:
        raise AuthError(
            "UNAUTHENTICATED",
            "missing or invalid token: send 'Authorization: Bearer <token>' (create one with 'standing token create')",
        )
    return principal


def admin_of(info: Info) -> Principal:
    principal = principal_of(info)
    if not principal.is_admin:
        raise AuthError("FORBIDDEN", f"this needs an admin token; yours is a {principal.role.value} token")
    return principal
