"""Erasure replay: erasures recorded, and re-applied after a restore from a backup."""

import io
import json
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.utils import timezone

from example_shop.accounts.models import CustomerProfile
from example_shop.enquiries.models import Enquiry
from example_shop.factories import EnquiryFactory, OrderFactory, UserFactory
from example_shop.orders.models import Order, OrderLine
from jsg_privacy.audit import replay
from jsg_privacy.audit.models import ErasureRecord
from jsg_privacy.flows import erase
from jsg_privacy.registry import Subject
from jsg_privacy.requests import cases, recipients, service
from jsg_privacy.requests.models import Status

pytestmark = pytest.mark.django_db
User = get_user_model()
TODAY = timezone.localdate()


def backup():
    """Everything a restore would bring back: the shop's rows, serialised before erasure."""
    users = list(User.objects.all())
    profiles = [user.customer_profile for user in users if hasattr(user, "customer_profile")]
    rows = [*users, *profiles, *Order.objects.all(), *OrderLine.objects.all()]
    return serializers.serialize("json", [*rows, *Enquiry.objects.all()])


def restore(dump):
    for item in serializers.deserialize("json", dump):
        item.save()


@pytest.fixture
def shop():
    ann = UserFactory(email="ann@example.org")
    OrderFactory(user=ann, invoiced_at=None)
    EnquiryFactory(email="ANN@example.org")
    bob = UserFactory(email="bob@example.org")
    OrderFactory(user=bob, invoiced_at=None)
    EnquiryFactory(email="bob@example.org")
    return ann, bob


def erase_ann(ann):
    subject = Subject(user_id=ann.pk, email=ann.email)
    replay.erase_and_record(subject, case_reference="ER-1")
    return ErasureRecord.objects.get(case_reference="ER-1")


def assert_ann_erased_bob_untouched(ann, bob):
    assert not User.objects.filter(pk=ann.pk).exists()
    assert not CustomerProfile.objects.filter(user_id=ann.pk).exists()
    assert not Enquiry.objects.filter(email_digest__matches="ann@example.org").exists()
    assert not Order.objects.filter(email_digest__matches="ann@example.org").exists()
    assert User.objects.filter(pk=bob.pk).exists()
    assert Enquiry.objects.filter(email_digest__matches="bob@example.org").exists()
    assert Order.objects.get(user=bob).full_name == bob.get_full_name()


def test_an_erasure_is_recorded_without_the_address(shop):
    ann, _ = shop
    record = erase_ann(ann)
    assert record.user_id == ann.pk
    assert "ann" not in record.email_key
    assert len(record.email_key) == 64


def test_an_erasure_that_fails_leaves_no_record_and_a_record_that_fails_no_erasure(shop):
    ann, _ = shop
    subject = Subject(user_id=ann.pk, email=ann.email)
    real_erase = erase.erase

    def erase_then_fail(subject):
        real_erase(subject)
        raise DatabaseError("the connection dropped")

    with mock.patch.object(erase, "erase", erase_then_fail), pytest.raises(DatabaseError):
        replay.erase_and_record(subject, case_reference="ER-1")
    with (
        mock.patch.object(replay, "record_erasure", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        replay.erase_and_record(subject, case_reference="ER-1")

    assert not ErasureRecord.objects.exists()
    assert User.objects.filter(pk=ann.pk).exists()
    assert Enquiry.objects.filter(email_digest__matches="ann@example.org").exists()


def test_a_case_that_cannot_be_completed_is_not_erased_or_recorded(shop):
    ann, _ = shop
    case = cases.open_case(
        kind="erasure", email=ann.email, user=ann, channel="account", identity_check="logged in"
    )

    # The case's last step in the erasure's transaction: completed, or waiting for recipients.
    with mock.patch.object(
        recipients, "settle", side_effect=DatabaseError("the connection dropped")
    ):
        assert service.run_erasure(case.pk) is None

    case.refresh_from_db()
    assert case.status == Status.FAILED
    assert "nothing was changed" in case.failure_reason
    assert not ErasureRecord.objects.exists()
    assert User.objects.filter(pk=ann.pk).exists()
    assert service.run_erasure(case.pk) is not None  # retried: erased, recorded and completed
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert ErasureRecord.objects.get().case_reference == case.reference
    assert not User.objects.filter(pk=ann.pk).exists()


def test_a_replay_erases_again_what_a_restore_brought_back(shop):
    ann, bob = shop
    dump = backup()
    erase_ann(ann)
    restore(dump)
    assert User.objects.filter(pk=ann.pk).exists()  # the backup brought Ann back
    assert CustomerProfile.objects.filter(user_id=ann.pk).exists()

    results = replay.replay(TODAY)

    assert results[0].rows >= 3
    assert_ann_erased_bob_untouched(ann, bob)
    assert replay.replay(TODAY)[0].rows == 0  # idempotent


def test_a_dry_run_changes_nothing(shop):
    ann, _ = shop
    dump = backup()
    erase_ann(ann)
    restore(dump)

    results = replay.replay(TODAY, dry_run=True)

    assert results[0].rows >= 3
    assert User.objects.filter(pk=ann.pk).exists()


def test_an_account_id_given_to_someone_else_is_not_erased(shop):
    ann, _bob = shop
    erase_ann(ann)
    stranger = UserFactory(email="carol@example.org", profile=None)
    User.objects.filter(pk=stranger.pk).update(id=ann.pk)  # the restored sequence reused the id

    result = replay.replay(TODAY)[0]

    assert "another e-mail address" in result.skipped
    assert User.objects.filter(pk=ann.pk, email="carol@example.org").exists()


def test_records_before_the_date_are_not_replayed(shop):
    ann, _ = shop
    dump = backup()
    erase_ann(ann)
    restore(dump)
    assert replay.replay(TODAY + timedelta(days=1)) == []
    assert User.objects.filter(pk=ann.pk).exists()


def test_the_command_replays_and_prints_what_it_did(shop):
    ann, bob = shop
    dump = backup()
    erase_ann(ann)
    restore(dump)
    out = io.StringIO()

    call_command("privacy_replay_erasures", "--since", TODAY.isoformat(), stdout=out)

    assert "ER-1" in out.getvalue()
    assert "Re-applied 1 of 1 erasure(s)" in out.getvalue()
    assert_ann_erased_bob_untouched(ann, bob)


def test_the_command_takes_the_records_saved_before_the_restore(shop, tmp_path):
    ann, bob = shop
    dump = backup()
    erase_ann(ann)
    saved = tmp_path / "erasures.json"
    saved.write_text(serializers.serialize("json", ErasureRecord.objects.all()))
    ErasureRecord.objects.all().delete()  # the restore lost them: they were made after the backup
    restore(dump)

    call_command(
        "privacy_replay_erasures",
        "--since",
        TODAY.isoformat(),
        "--records",
        str(saved),
        stdout=io.StringIO(),
    )

    assert_ann_erased_bob_untouched(ann, bob)
    assert ErasureRecord.objects.filter(case_reference="ER-1").count() == 1


def test_a_dry_run_of_the_command_says_what_it_would_do(shop):
    ann, _ = shop
    dump = backup()
    erase_ann(ann)
    restore(dump)
    out = io.StringIO()
    call_command("privacy_replay_erasures", "--since", TODAY.isoformat(), "--dry-run", stdout=out)
    assert "Would re-apply 1 of 1" in out.getvalue()
    assert User.objects.filter(pk=ann.pk).exists()


@pytest.mark.parametrize("since", ["yesterday", "2024-13-01"])
def test_a_bad_date_is_refused(since):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("privacy_replay_erasures", "--since", since)


def test_an_unreadable_records_file_is_refused(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"not": "a dump"}))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("privacy_replay_erasures", "--since", "2024-01-01", "--records", str(bad))
