"""An organization's badge policy version ("protege-badge-2026.1+org.1d41de70") is longer than 32 characters."""

from tortoise import fields, migrations

from domain.migrations._dialect import WidenOnPostgres


class Migration(migrations.Migration):
    dependencies = [("standing", "0006_badge_policy_changes")]

    initial = False

    operations = [
        WidenOnPostgres(model_name="TransitionRecord", name="policy_version", field=fields.CharField(max_length=64)),
    ]
