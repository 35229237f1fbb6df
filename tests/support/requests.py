"""GraphQL for one standing event, built from a mutation template with %(field)s, %(until_var)s and %(extra)s."""

from __future__ import annotations

from typing import Any

from schema.mutations.standing import camel


def transition_request(
    template: str, event: str, participant_id: int, reason: str, version: int | None, until: str | None
) -> tuple[str, dict[str, Any]]:
    """The query and variables sending `event`; `until` (ISO time) only goes with a suspension."""
    suspending = event == "suspend"
    query = template % {
        "field": camel(event),
        "until_var": ", $until: DateTime!" if suspending else "",
        "extra": ", until: $until" if suspending else "",
    }
    variables: dict[str, Any] = {"pid": str(participant_id), "reason": reason, "version": version}
    if suspending:
        variables["until"] = until
    return query, variables
