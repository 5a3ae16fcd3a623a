"""The staff access log records list pages, searches and admin actions: who saw which people's
rows, and where (the page, the kind of search term, the action), one entry per person shown."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jsg_privacy", "0014_consent_ledger_keyed_lanes"),
    ]

    operations = [
        migrations.AddField(
            model_name="staffaccess",
            name="context",
            field=models.CharField(blank=True, max_length=200, verbose_name="where"),
        ),
        migrations.AlterField(
            model_name="staffaccess",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "viewed"),
                    ("export", "exported"),
                    ("change", "changed"),
                    ("list", "listed"),
                    ("search", "found by a search"),
                    ("action", "selected for an action"),
                ],
                max_length=8,
                verbose_name="what",
            ),
        ),
        migrations.AlterField(
            model_name="staffaccess",
            name="object_id",
            field=models.CharField(blank=True, max_length=255, verbose_name="record id"),
        ),
    ]
