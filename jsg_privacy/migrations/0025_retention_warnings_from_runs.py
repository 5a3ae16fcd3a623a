"""Warnings sent before this release were kept only in the runs' counts (``warned_pks``): copy those
of the last two warning periods, so an account warned then is not warned a second time and is
deleted on the date its warning gave."""

from datetime import timedelta

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone

WARNING_DAYS = 30  # jsg_privacy.retention.warnings.WARNING_DAYS when this was written


def copy_warnings(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    RetentionRun = apps.get_model("jsg_privacy", "RetentionRun")
    RetentionWarning = apps.get_model("jsg_privacy", "RetentionWarning")
    since = timezone.now() - timedelta(days=2 * WARNING_DAYS)
    runs = RetentionRun.objects.filter(dry_run=False, started_at__gte=since).order_by("started_at")
    warnings = []
    for started_at, counts in runs.values_list("started_at", "counts").iterator():
        for source, found in (counts or {}).items():
            for pk in (found or {}).get("warned_pks") or ():
                warnings.append(
                    RetentionWarning(
                        source=source,
                        object_pk=str(pk),
                        warned_at=started_at,
                        deletion_on=(started_at + timedelta(days=WARNING_DAYS)).date(),
                    )
                )
    RetentionWarning.objects.bulk_create(warnings, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("jsg_privacy", "0024_retention_warnings"),
    ]

    operations = [
        migrations.RunPython(copy_warnings, migrations.RunPython.noop),
    ]
