"""Cookie names the shop set at run time that no declaration covers (names only, never values)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jsg_privacy", "0012_case_events_go_with_their_case"),
    ]

    operations = [
        migrations.CreateModel(
            name="UndeclaredCookie",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        editable=False, max_length=255, unique=True, verbose_name="cookie name"
                    ),
                ),
                (
                    "first_seen",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="first seen"
                    ),
                ),
                (
                    "last_seen",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="last seen"
                    ),
                ),
                (
                    "path",
                    models.CharField(
                        blank=True, editable=False, max_length=255, verbose_name="first seen on"
                    ),
                ),
                (
                    "view",
                    models.CharField(
                        blank=True, editable=False, max_length=255, verbose_name="view"
                    ),
                ),
                (
                    "seen_count",
                    models.PositiveBigIntegerField(
                        default=1, editable=False, verbose_name="times seen"
                    ),
                ),
            ],
            options={
                "verbose_name": "undeclared cookie",
                "verbose_name_plural": "undeclared cookies",
                "ordering": ["-last_seen", "name"],
            },
        ),
    ]
