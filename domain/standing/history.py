"""Reading the transition log: newest first, a page per participant, for many participants at once."""

from __future__ import annotations

from collections import defaultdict

from domain.models import TransitionRecord


async def latest_transitions(
    participant_ids: list[int], *, limit: int, before_id: int | None = None, machines: list[str]
) -> dict[int, list[TransitionRecord]]:
    """Up to `limit` log rows per participant, newest first, older than `before_id` if given.

    One statement for any number of participants: ROW_NUMBER() partitions the log per participant
    (SQLite 3.25+ and PostgreSQL both have it). Every value inlined below is an int we cast here.
    """
    if not participant_ids:
        return {}
    ids = ",".join(str(int(i)) for i in sorted(set(participant_ids)))
    cursor = f" AND id < {int(before_id)}" if before_id is not None else ""
    # Machine names come from the machine classes, never from input.
    kinds = ",".join(f"'{m}'" for m in machines if m.replace("_", "").isalnum())
    sql = (
        "SELECT * FROM (SELECT transition_log.*, ROW_NUMBER() OVER "
        "(PARTITION BY participant_id ORDER BY id DESC) AS position FROM transition_log "
        f"WHERE participant_id IN ({ids}) AND machine IN ({kinds}){cursor}) AS page "
        f"WHERE position <= {int(limit)} ORDER BY participant_id, id DESC"
    )
    pages: dict[int, list[TransitionRecord]] = defaultdict(list)
    records: list[TransitionRecord] = await TransitionRecord.raw(sql)  # type: ignore[assignment]
    for record in records:
        pages[record.participant_id].append(record)
    return pages
