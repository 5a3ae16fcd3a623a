"""Cases verified before the Art. 12A clock was recorded: their clock started at verification.

Their due dates are left as they were (counted from receipt, never later than Art. 12A allows)."""

from typing import Any

from django.db import migrations
from django.db.models import F


def start_clocks(apps: Any, schema_editor: Any) -> None:
    case = apps.get_model("jsg_privacy", "Case")
    case.objects.filter(clock_started_at__isnull=True, verified_at__isnull=False).update(
        clock_started_at=F("verified_at")
    )


class Migration(migrations.Migration):
    dependencies = [("jsg_privacy", "0017_case_clock_art_12a_and_clarifications")]

    operations = [migrations.RunPython(start_clocks, migrations.RunPython.noop)]
