"""Provisional facts and their disputes, protection of the other party, no-contact orders."""

from tortoise import migrations


class Migration(migrations.Migration):
    dependencies = [("standing", "0010_notices_appeals_locks")]

    initial = False

    operations: list = []
