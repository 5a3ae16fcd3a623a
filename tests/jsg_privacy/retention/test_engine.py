"""Retention as a shop sees it: a dry run says what is due, a real run removes exactly that."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.test import override_settings
from django.utils import timezone

from example_shop.enquiries.models import Enquiry
from example_shop.factories import EnquiryFactory, OrderFactory, UserFactory
from example_shop.orders.models import Order, OrderLine
from jsg_privacy import registry as privacy
from jsg_privacy.registry import Subject, anonymisers
from jsg_privacy.requests import restriction
from jsg_privacy.retention import engine, lock
from jsg_privacy.retention.models import RetentionRun
from jsg_privacy.retention.schedule import beat_schedule

from .conftest import declare_enquiries

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def ago(days):
    return timezone.now() - days * DAY


@pytest.fixture
def enquiries():
    """Two answered long ago, one answered yesterday, one never answered (sent 100 days ago)."""
    old = [EnquiryFactory(created_at=ago(400), answered_at=ago(399)) for _ in range(2)]
    recent = EnquiryFactory(created_at=ago(2), answered_at=ago(1))
    open_ = EnquiryFactory(created_at=ago(100), answered_at=None)
    return old, recent, open_


def counts(run, key="enquiries.Enquiry"):
    return run.counts[key]


def test_a_dry_run_reports_rows_oldest_and_action_and_changes_nothing(enquiries):
    old, *_ = enquiries
    run = engine.enforce(dry_run=True)
    found = counts(run)
    assert (found["due"], found["action"], found["deleted"]) == (2, "delete", 0)
    assert found["oldest"][:10] == min(e.answered_at for e in old).date().isoformat()
    assert Enquiry.objects.count() == 4
    assert run.dry_run
    assert run.status == RetentionRun.Status.COMPLETED


def test_a_run_deletes_what_is_due_and_keeps_the_rest(enquiries):
    _old, recent, open_ = enquiries
    run = engine.enforce()
    assert counts(run)["deleted"] == 2
    assert set(Enquiry.objects.values_list("pk", flat=True)) == {recent.pk, open_.pk}
    assert run.finished_at
    assert run.status == RetentionRun.Status.COMPLETED


def test_the_dry_run_announces_exactly_what_the_real_run_removes(enquiries):
    OrderFactory(invoiced_at=ago(8 * 366))
    OrderFactory(invoiced_at=ago(30))
    planned = {k: v["due"] for k, v in engine.enforce(dry_run=True).counts.items()}
    done = engine.enforce().counts
    assert {k: v["deleted"] + v["anonymised"] for k, v in done.items()} == planned
    assert all(v["due"] == 0 for v in engine.enforce(dry_run=True).counts.values())


def test_old_orders_are_anonymised_once_and_keep_their_totals():
    old = OrderFactory(invoiced_at=ago(8 * 366))
    kept = OrderFactory(invoiced_at=ago(6 * 366))
    first = engine.enforce()
    assert counts(first, "orders.Order")["anonymised"] == 1
    row = Order.objects.get(pk=old.pk)
    assert row.full_name == anonymisers.ERASED
    assert row.email == f"erased-{old.pk}@invalid"
    assert row.total == old.total
    assert not OrderLine.objects.filter(order=old).exists()
    assert Order.objects.get(pk=kept.pk).full_name == kept.full_name
    # Idempotent: anonymised rows carry the marker and are not due again.
    assert counts(engine.enforce(dry_run=True), "orders.Order")["due"] == 0
    assert counts(engine.enforce(), "orders.Order")["anonymised"] == 0


def test_max_caps_a_run_and_the_next_run_continues(enquiries):
    EnquiryFactory.create_batch(3, created_at=ago(400), answered_at=ago(399))
    first = engine.enforce(max_rows=2, batch=1)
    assert counts(first)["deleted"] == 2
    second = engine.enforce()
    assert counts(second)["deleted"] == 3
    assert Enquiry.objects.count() == 2


def test_a_crash_between_batches_keeps_whole_batches_and_the_next_run_resumes(
    enquiries, monkeypatch
):
    EnquiryFactory.create_batch(4, created_at=ago(400), answered_at=ago(399))
    calls = {"n": 0}
    real = engine.SourceReport.as_counts

    def crash_on_third_batch(self):
        if self.key == "enquiries.Enquiry" and self.deleted:
            calls["n"] += 1
            if calls["n"] == 3:
                raise DatabaseError("connection lost")
        return real(self)

    monkeypatch.setattr(engine.SourceReport, "as_counts", crash_on_third_batch)
    failed = engine.enforce(batch=2)
    monkeypatch.undo()
    failed.refresh_from_db()
    assert failed.status == RetentionRun.Status.FAILED
    assert "connection lost" in failed.errors
    assert counts(failed)["deleted"] == 4  # two whole batches; the third rolled back
    assert Enquiry.objects.count() == 8 - 4
    resumed = engine.enforce(batch=2)
    assert resumed.status == RetentionRun.Status.COMPLETED
    assert counts(resumed)["deleted"] == 2
    assert Enquiry.objects.count() == 2


def test_a_legal_hold_keeps_rows_past_their_retention(temporary_registry):
    declare_enquiries(
        privacy.Retention(anchor="answered_at", period=privacy.Period(days=30)),
        privacy.LegalHold(
            anchor="created_at",
            period=privacy.Period(years=2),
            reason="a claim",
            then=privacy.Delete(),
        ),
    )
    held = EnquiryFactory(created_at=ago(400), answered_at=ago(399))
    free = EnquiryFactory(created_at=ago(800), answered_at=ago(799))
    assert counts(engine.enforce(dry_run=True))["held"] == 1
    run = engine.enforce()
    assert counts(run)["deleted"] == 1
    assert list(Enquiry.objects.values_list("pk", flat=True)) == [held.pk]
    assert not Enquiry.objects.filter(pk=free.pk).exists()


@override_settings(
    JSG_PRIVACY_ROLE="processor",
    JSG_PRIVACY_CLIENTS=[
        {
            "name": "Acme Energy",
            "retention": {"correspondence": {"anchor": "created_at", "days": 10}},
        }
    ],
)
def test_in_processor_mode_a_clients_instruction_overrides_the_default():
    unanswered = EnquiryFactory(created_at=ago(11), answered_at=None)
    young = EnquiryFactory(created_at=ago(5), answered_at=None)
    run = engine.enforce()
    assert "10 days" in counts(run)["rule"]
    assert not Enquiry.objects.filter(pk=unanswered.pk).exists()
    assert Enquiry.objects.filter(pk=young.pk).exists()


def test_a_rule_naming_a_missing_field_is_a_check_error_and_the_run_records_it(
    temporary_registry, enquiries
):
    from django.core.checks import run_checks

    declare_enquiries(privacy.Retention(anchor="answerd_at", period=privacy.Period(days=30)))
    ids = {m.id for m in run_checks(tags=["jsg_privacy"], databases=[])}
    assert ids & {"jsg_privacy.E004", "jsg_privacy.E007"}
    OrderFactory(invoiced_at=ago(8 * 366))
    run = engine.enforce()
    assert run.status == RetentionRun.Status.FAILED
    assert "enquiries.Enquiry" in run.errors
    assert run.counts["orders.Order"]["anonymised"] == 1  # the other sources still ran
    assert Enquiry.objects.count() == 4


def test_inactive_account_holders_are_warned_once_before_deletion(mailoutbox):
    # The example shop deletes accounts 3 years after the last log-in.
    soon = UserFactory(last_login=ago(3 * 365 - 10), email="soon@example.net")
    UserFactory(last_login=ago(30), email="active@example.net")
    run = engine.enforce()
    assert [m.to for m in mailoutbox] == [["soon@example.net"]]
    assert "will be deleted on" in mailoutbox[0].subject
    assert run.counts["auth.User"]["warned"] == 1
    engine.enforce()
    assert len(mailoutbox) == 1  # not warned twice
    assert get_user_model().objects.filter(pk=soon.pk).exists()


def test_the_command_prints_the_dry_run_report(enquiries, capsys):
    call_command("privacy_enforce_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "enquiries.Enquiry: 2 due, oldest" in out
    assert "delete" in out
    assert Enquiry.objects.count() == 4


def test_the_command_runs_with_a_cap_and_shows_progress(enquiries, capsys):
    call_command("privacy_enforce_retention", "--max", "1")
    captured = capsys.readouterr()
    assert "deleted 1" in captured.out
    assert "enquiries.Enquiry" in captured.err
    assert Enquiry.objects.count() == 3


def test_the_beat_schedule_runs_the_task_daily():
    (entry,) = beat_schedule().values()
    assert entry["task"] == "jsg_privacy.enforce_retention"


def test_an_inactive_account_is_deleted_with_its_saved_details_and_orders_stay():
    from example_shop.accounts.models import CustomerProfile

    idle = UserFactory(last_login=ago(3 * 366 + 1))
    order = OrderFactory(user=idle, invoiced_at=ago(400))
    assert engine.enforce().counts["auth.User"]["warned"] == 1  # warned first, kept
    run = engine.enforce(now=timezone.now() + 31 * DAY)
    assert run.counts["auth.User"]["deleted"] == 1
    # The profile went with the account (a cascade) and counts for its own source.
    assert run.counts["accounts.CustomerProfile"]["deleted"] == 1
    assert not CustomerProfile.objects.filter(user_id=idle.pk).exists()
    assert not get_user_model().objects.filter(pk=idle.pk).exists()
    assert Order.objects.get(pk=order.pk).user is None  # kept for the tax hold, unlinked


def test_a_restricted_subjects_rows_wait_until_the_restriction_is_lifted(enquiries):
    """Art. 18: a subject who needs their data kept (a legal claim) has it stored, not deleted."""
    old, recent, open_ = enquiries
    restricted = restriction.restrict(Subject(email=old[0].email.upper()), "needed for a claim")
    plan = engine.enforce(dry_run=True)
    assert (counts(plan)["due"], counts(plan)["restricted"]) == (1, 1)
    out = StringIO()
    call_command("privacy_enforce_retention", "--dry-run", "--no-progress", stdout=out)
    assert "1 kept: processing restricted (Art. 18)" in out.getvalue()
    engine.enforce()
    assert set(Enquiry.objects.values_list("pk", flat=True)) == {old[0].pk, recent.pk, open_.pk}
    restriction.notify_before_lifting(restricted, email=old[0].email)
    restriction.lift(restricted, reason="claim settled")
    engine.enforce()
    assert set(Enquiry.objects.values_list("pk", flat=True)) == {recent.pk, open_.pk}


def test_a_restricted_account_keeps_its_rows_found_by_user_and_by_its_own_address():
    user = UserFactory()
    guest_copy = EnquiryFactory(email=user.email, created_at=ago(400), answered_at=ago(399))
    restriction.restrict(Subject(user_id=user.pk), "accuracy contested")
    engine.enforce()
    assert Enquiry.objects.filter(pk=guest_copy.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_second_run_while_one_is_under_way_does_nothing_and_says_why(enquiries):
    from django.db import connection

    if connection.vendor == "postgresql":  # the advisory lock, held by another session
        import psycopg

        settings = connection.settings_dict
        other = psycopg.connect(
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            dbname=settings["NAME"],
            autocommit=True,
        )
        other.execute("SELECT pg_advisory_lock(%s)", [lock.LOCK_ID])

        def release():
            # Unlocked before closing: the server frees a closed session's locks a moment later.
            other.execute("SELECT pg_advisory_unlock(%s)", [lock.LOCK_ID])
            other.close()

    else:  # the run log: a real run that started an hour ago and has not finished
        RetentionRun.objects.create(started_at=timezone.now() - timedelta(hours=1), dry_run=False)
        release = RetentionRun.objects.filter(status=RetentionRun.Status.RUNNING).delete
    runs = RetentionRun.objects.count()
    try:
        with pytest.raises(CommandError, match="nothing was done"):
            call_command("privacy_enforce_retention", "--no-progress", stdout=StringIO())
        assert Enquiry.objects.count() == 4
        assert RetentionRun.objects.count() == runs
        assert engine.enforce(dry_run=True).status == RetentionRun.Status.COMPLETED  # reports run
    finally:
        release()
    assert counts(engine.enforce())["deleted"] == 2


def test_rows_whose_anchor_is_empty_fall_back_and_are_not_kept_for_ever():
    """The probes of an auditor: an unpaid order from years ago, an account never logged in to,
    an enquiry never answered. Each falls back on the date it was made."""
    unpaid = OrderFactory(
        created_at=ago(10 * 365), invoiced_at=None, status=Order.Status.AWAITING_PAYMENT
    )
    recent_unpaid = OrderFactory(created_at=ago(30), invoiced_at=None)
    never_used = UserFactory(date_joined=ago(4 * 365), last_login=None)
    new_account = UserFactory(date_joined=ago(10), last_login=None)
    forgotten = EnquiryFactory(created_at=ago(900), answered_at=None)

    dry = engine.enforce(dry_run=True)
    assert dry.errors == ""
    planned = dry.counts
    assert planned["orders.Order"]["due"] == 1
    # The account is past its time, but its holder is warned first (docs/retention.md).
    assert planned["auth.User"]["due"] == 0
    assert planned["auth.User"]["awaiting_warning"] == 1
    assert planned["auth.User"]["to_warn"] == 1
    assert planned["enquiries.Enquiry"]["due"] == 1
    assert all(counts.get("never_due", 0) == 0 for counts in planned.values())

    engine.enforce()
    assert get_user_model().objects.filter(pk=never_used.pk).exists()  # warned, kept
    engine.enforce(now=timezone.now() + 31 * DAY)

    unpaid.refresh_from_db()
    assert unpaid.email.endswith("@invalid")  # anonymised
    recent_unpaid.refresh_from_db()
    assert not recent_unpaid.email.endswith("@invalid")
    assert not get_user_model().objects.filter(pk=never_used.pk).exists()
    assert get_user_model().objects.filter(pk=new_account.pk).exists()
    assert not Enquiry.objects.filter(pk=forgotten.pk).exists()


@privacy.temporarily()
def test_the_dry_run_counts_rows_that_can_never_become_due():
    declare_enquiries(privacy.Retention(anchor="answered_at", period=privacy.Period(days=30)))
    EnquiryFactory(created_at=ago(900), answered_at=None)
    out = StringIO()

    call_command("privacy_enforce_retention", "--dry-run", stdout=out)

    report = next(r for r in engine.plan() if r.key == "enquiries.Enquiry")
    assert report.never_due == 1
    assert "1 NEVER due" in out.getvalue()


def test_a_plain_delete_goes_by_key_windows_and_reads_no_batch_edge(enquiries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    due = EnquiryFactory.create_batch(5, created_at=ago(400), answered_at=ago(399))
    kept = EnquiryFactory(created_at=ago(2), answered_at=ago(1))
    due += EnquiryFactory.create_batch(2, created_at=ago(400), answered_at=ago(399))
    with CaptureQueriesContext(connection) as captured:
        run = engine.enforce(batch=2, warn=False)
    assert counts(run)["deleted"] == 7 + 2  # and the fixture's two old ones
    assert not Enquiry.objects.filter(pk__in=[e.pk for e in due]).exists()
    assert Enquiry.objects.filter(pk=kept.pk).exists()
    sql = [q["sql"] for q in captured.captured_queries]
    assert [s for s in sql if s.startswith('DELETE FROM "enquiries_enquiry"')]
    assert not [s for s in sql if "OFFSET" in s and s.startswith('SELECT "enquiries_enquiry"')]


def test_keys_too_sparse_for_windows_are_batched_by_edge_keys(enquiries, monkeypatch):
    monkeypatch.setattr(engine, "MAX_WINDOWS", 0)
    EnquiryFactory.create_batch(5, created_at=ago(400), answered_at=ago(399))
    first = engine.enforce(max_rows=3, batch=2, warn=False)
    assert counts(first)["deleted"] == 3
    assert counts(engine.enforce(batch=2, warn=False))["deleted"] == 4
    assert Enquiry.objects.count() == 2
