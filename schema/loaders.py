"""DataLoaders: a page of participants costs a fixed number of SQL statements, whatever its size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from strawberry.dataloader import DataLoader

from domain.models import BadgeRecord, Organization, TransitionRecord
from domain.standing.history import latest_transitions
from domain.standing.machines import STANDING_MACHINE_NAMES

HistoryKey = tuple[int, int, int | None]  # (participant id, how many, before this log id)


async def _load_organizations(ids: list[int]) -> list[Organization | None]:
    found = {o.id: o for o in await Organization.filter(id__in=set(ids))}
    return [found.get(i) for i in ids]


async def _load_histories(keys: list[HistoryKey]) -> list[list[TransitionRecord]]:
    # Keys that share a page size and cursor are answered by one windowed query.
    groups: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for participant_id, limit, before in keys:
        groups[(limit, before)].append(participant_id)
    pages: dict[HistoryKey, list[TransitionRecord]] = {}
    for (limit, before), participant_ids in groups.items():
        by_participant = await latest_transitions(
            participant_ids, limit=limit, before_id=before, machines=STANDING_MACHINE_NAMES
        )
        for participant_id in participant_ids:
            pages[(participant_id, limit, before)] = by_participant.get(participant_id, [])
    return [pages[key] for key in keys]


async def load_badges(participant_ids: list[int]) -> list[BadgeRecord | None]:
    found = {b.participant_id: b for b in await BadgeRecord.filter(participant_id__in=set(participant_ids))}
    return [found.get(i) for i in participant_ids]


@dataclass(frozen=True)
class BadgeSummary:
    """A badge record without its evidence: what `Badge.from_record` reads when nobody asked for the
    criteria (or the advice built from them), so that a page does not decode every criteria JSON."""

    participant_id: int
    state: str
    since: datetime
    policy_version: str
    evaluated_at: datetime
    certificate_code: str | None
    cure_by: datetime | None
    criteria: tuple = ()


SUMMARY_FIELDS = ("participant_id", "state", "since", "policy_version", "evaluated_at", "certificate_code", "cure_by")


async def load_badge_summaries(participant_ids: list[int]) -> list[BadgeSummary | None]:
    rows = await BadgeRecord.filter(participant_id__in=set(participant_ids)).values_list(*SUMMARY_FIELDS)
    found = {row[0]: BadgeSummary(*row) for row in rows}
    return [found.get(i) for i in participant_ids]


@dataclass
class Loaders:
    organization: DataLoader[int, Organization | None] = field(
        default_factory=lambda: DataLoader(load_fn=_load_organizations)
    )
    history: DataLoader[HistoryKey, list[TransitionRecord]] = field(
        default_factory=lambda: DataLoader(load_fn=_load_histories)
    )
    badge: DataLoader[int, BadgeRecord | None] = field(default_factory=lambda: DataLoader(load_fn=load_badges))
