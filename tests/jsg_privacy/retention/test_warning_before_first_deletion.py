"""An account past its time but never warned is warned first, and deleted a warning period later.

The bug this covers: the first retention run of a shop deleted four inactive accounts at once,
without the 30-day warning e-mail that docs/retention.md promises.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from example_shop.accounts.models import CustomerProfile
from example_shop.factories import UserFactory
from jsg_privacy.retention import engine, warnings
from jsg_privacy.retention.models import RetentionWarning

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
User = get_user_model()


def ago(days):
    return timezone.now() - days * DAY


@pytest.fixture
def idle_accounts():
    """Four accounts unused for over three years (the example shop's rule), one of them never
    logged in to, each with saved details; and one active account."""
    idle = [
        UserFactory(last_login=ago(3 * 366 + 5 * n), email=f"idle{n}@example.net") for n in range(3)
    ]
    idle.append(UserFactory(last_login=None, date_joined=ago(4 * 365), email="never@example.net"))
    active = UserFactory(last_login=ago(3), email="active@example.net")
    return idle, active


def dry_run_report() -> str:
    out = StringIO()
    call_command("privacy_enforce_retention", "--dry-run", "--no-progress", stdout=out)
    return out.getvalue()


def test_the_first_run_warns_and_deletes_nobody_then_deletes_after_the_warning_period(
    idle_accounts, mailoutbox
):
    idle, active = idle_accounts
    pks = [u.pk for u in idle]

    before = dry_run_report()
    assert "auth.User: 0 due; 4 kept until 30 days after their warning e-mail" in before
    assert "4 to be warned by e-mail first" in before

    first = engine.enforce()
    assert first.counts["auth.User"]["warned"] == 4
    assert first.counts["auth.User"]["deleted"] == 0
    assert User.objects.filter(pk__in=pks).count() == 4
    assert CustomerProfile.objects.filter(user_id__in=pks).count() == 4  # saved details too
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in idle)
    announced = timezone.localdate() + 30 * DAY
    for message in mailoutbox:
        assert f"will be deleted on {announced:%-d %B %Y}" in message.body
        assert "To keep your account, simply log in before then." in message.body

    during = dry_run_report()
    assert "auth.User: 0 due; 4 kept until 30 days after their warning e-mail" in during
    assert "to be warned" not in during  # each is warned once

    # Still inside the warning period: nobody is deleted, nobody is warned again.
    engine.enforce(now=timezone.now() + 29 * DAY)
    assert User.objects.filter(pk__in=pks).count() == 4
    assert len(mailoutbox) == 4

    # One of them logs in during the warning period: their account stays.
    kept = idle[0]
    User.objects.filter(pk=kept.pk).update(last_login=timezone.now() + 10 * DAY)

    later = engine.enforce(now=timezone.now() + 31 * DAY)
    assert later.counts["auth.User"]["deleted"] == 3
    assert later.counts["accounts.CustomerProfile"]["deleted"] == 3
    assert set(User.objects.filter(pk__in=pks).values_list("pk", flat=True)) == {kept.pk}
    assert User.objects.filter(pk=active.pk).exists()
    assert len(mailoutbox) == 4
    # The deleted accounts' warnings go with them; the one who logged in keeps a stale warning,
    # which no longer counts.
    assert set(RetentionWarning.objects.values_list("object_pk", flat=True)) == {str(kept.pk)}


def test_a_warning_sent_before_the_last_log_in_does_not_count(mailoutbox):
    """Idle, warned, logged in, idle again for three years: warned again before deletion."""
    account = UserFactory(last_login=ago(3 * 366), email="back@example.net")
    engine.enforce()
    assert len(mailoutbox) == 1
    User.objects.filter(pk=account.pk).update(last_login=timezone.now())
    years_later = timezone.now() + 3 * 366 * DAY

    run = engine.enforce(now=years_later)
    assert run.counts["auth.User"]["warned"] == 1
    assert len(mailoutbox) == 2
    assert User.objects.filter(pk=account.pk).exists()
    engine.enforce(now=years_later + 31 * DAY)
    assert not User.objects.filter(pk=account.pk).exists()


def test_a_warning_that_cannot_be_sent_keeps_the_account(monkeypatch, mailoutbox):
    account = UserFactory(last_login=ago(3 * 366), email="unreachable@example.net")

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(warnings, "send_mail", broken)
    run = engine.enforce()
    assert run.status == "failed"
    assert "mail server down" in run.errors
    assert not RetentionWarning.objects.exists()

    monkeypatch.undo()
    engine.enforce(now=timezone.now() + 31 * DAY)  # warned now, at last: still kept
    assert User.objects.filter(pk=account.pk).exists()
    assert [m.to for m in mailoutbox] == [["unreachable@example.net"]]


def test_the_admin_preview_says_the_accounts_wait_for_their_warning(idle_accounts, admin_client):
    from django.urls import reverse

    preview = admin_client.get(reverse("admin:jsg_privacy_retentionrun_run"))

    assert "4 accounts are kept until 30 days after their warning e-mail." in preview.text
    assert "4 accounts are to be warned by e-mail first." in preview.text
    assert User.objects.filter(pk__in=[u.pk for u in idle_accounts[0]]).count() == 4


def test_upgrading_copies_the_warnings_recorded_in_earlier_runs(mailoutbox):
    """Warned under the old code (keys kept in the run's counts): not warned a second time, and
    deleted once the warning period is over."""
    import importlib

    from django.apps import apps

    from jsg_privacy.retention.models import RetentionRun

    warned = UserFactory(last_login=ago(3 * 366 - 20), email="warned@example.net")
    started = timezone.now() - 12 * DAY
    RetentionRun.objects.create(
        started_at=started, counts={"auth.User": {"warned": 1, "warned_pks": [warned.pk]}}
    )
    migration = importlib.import_module("jsg_privacy.migrations.0025_retention_warnings_from_runs")

    migration.copy_warnings(apps, None)

    (copied,) = RetentionWarning.objects.all()
    assert (copied.source, copied.object_pk, copied.warned_at) == (
        "auth.User",
        str(warned.pk),
        started,
    )
    engine.enforce()
    assert mailoutbox == []  # already warned
    engine.enforce(now=timezone.now() + 19 * DAY)
    assert not User.objects.filter(pk=warned.pk).exists()
