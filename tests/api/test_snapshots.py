"""A listing's participant snapshots (domain/snapshots.py) carry exactly what the ORM model would."""

from __future__ import annotations

from datetime import timedelta

from domain.infra.snapshots import Snapshots
from domain.kernel.roles import Role
from domain.models import Participant

SUSPEND = """mutation($id: ID!, $until: DateTime!) { suspend(input: {participantId: $id, reason: "r", until: $until}) {
  __typename } }"""
NOTICE = 'mutation($id: ID!) { issueNotice(input: {participantId: $id, reason: "r"}) { __typename } }'


async def test_every_column_and_derived_fact_matches_the_model(gql, world):
    suspended = await world.participant(Role.MENTOR, "Sam Suspended")
    await gql.data(NOTICE, {"id": str(suspended.id)}, token=world.admin)
    until = (world.clock.now() + timedelta(days=7)).isoformat()
    await gql.data(SUSPEND, {"id": str(suspended.id), "until": until}, token=world.admin)
    await Participant.filter(id=world.protege.id).update(program_review=True)

    models = await Participant.all().order_by("id")
    snapshots = [s async for s in Snapshots(Participant.all().order_by("id"))[0:100]]
    assert len(snapshots) == len(models) == 3
    columns = list(Participant._meta.fields_db_projection)
    for model, snap in zip(models, snapshots, strict=False):
        for name in columns:
            assert getattr(snap, name) == getattr(model, name), name
            assert type(getattr(snap, name)) is type(getattr(model, name)), name
        assert (snap.profile_visible, snap.booking_needs_approval) == (
            model.profile_visible,
            model.booking_needs_approval,
        )
    by_id = {s.id: s for s in snapshots}
    assert by_id[suspended.id].standing == "suspended" and not by_id[suspended.id].profile_visible
    assert by_id[suspended.id].suspended_until is not None and by_id[world.protege.id].program_review is True


async def test_slicing_keeps_the_querysets_filters_and_order(world):
    for i in range(5):
        await world.participant(Role.PROTEGE, f"P{i}")
    query = Participant.filter(role=Role.PROTEGE).order_by("-id")
    expected = [p.id for p in await query.offset(1).limit(3)]
    assert [s.id for s in await Snapshots(query)[1:4].all()] == expected


def test_the_snapshot_declares_every_column_of_the_model():
    from domain.infra.snapshots import ParticipantSnapshot

    declared = {name for klass in ParticipantSnapshot.__mro__ for name in getattr(klass, "__annotations__", {})}
    assert set(Participant._meta.fields_db_projection) <= declared
