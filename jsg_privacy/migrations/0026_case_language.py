"""Requests record the language they were made in: their letters and export are written in it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jsg_privacy", "0025_retention_warnings_from_runs"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="language",
            field=models.CharField(
                blank=True, editable=False, max_length=15, verbose_name="language"
            ),
        ),
    ]
