"""Key rotation: old rows still decrypt under a new key list, and privacy_rotate_keys moves them on."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.test import override_settings

from example_shop.accounts.models import CustomerProfile
from example_shop.enquiries.models import Enquiry
from example_shop.factories import EnquiryFactory, OrderFactory, UserFactory
from example_shop.orders.models import Order
from jsg_privacy.crypto import rewrite
from jsg_privacy.crypto.fields import DecryptionError

pytestmark = pytest.mark.django_db

OLD, NEW, LOST = (Fernet.generate_key().decode() for _ in range(3))


def rotate(*args):
    out = StringIO()
    call_command("privacy_rotate_keys", "--no-progress", *args, stdout=out)
    return out.getvalue()


def readable_with(keys, model, pks):
    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=keys):
        return [(o.email, o.phone) for o in model.objects.filter(pk__in=pks).order_by("pk")]


def key_of(pk):
    for key in (NEW, OLD):
        try:
            readable_with([key], Order, [pk])
        except DecryptionError:
            continue
        return key
    return None


def test_rows_written_with_the_old_key_decrypt_once_a_new_key_comes_first():
    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[OLD]):
        order = OrderFactory(email="ann@example.org", phone="07700 900001")
    assert readable_with([NEW, OLD], Order, [order.pk]) == [("ann@example.org", "07700 900001")]


def test_rotation_re_encrypts_every_row_so_the_old_key_can_go():
    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[OLD]):
        orders = [OrderFactory(phone=f"07700 90000{n}") for n in range(5)]
        profile = UserFactory().customer_profile
        enquiry = EnquiryFactory(message="Please call after 5pm")
    expected = readable_with([OLD], Order, [o.pk for o in orders])
    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[NEW, OLD]):
        out = rotate("--batch", "2")
    assert "orders.Order: 5 rows, 5 re-encrypted" in out
    assert "Every encrypted value now uses the newest key." in out
    assert readable_with([NEW], Order, [o.pk for o in orders]) == expected
    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[NEW]):
        assert CustomerProfile.objects.get(pk=profile.pk).phone == profile.phone
        assert Enquiry.objects.get(pk=enquiry.pk).message == "Please call after 5pm"


def test_a_rerun_after_an_interruption_finishes_the_job(monkeypatch):
    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[OLD]):
        orders = [OrderFactory() for _ in range(6)]
    calls = {"n": 0}
    original = rewrite.keys.rotate

    def failing(token):
        calls["n"] += 1
        if calls["n"] == 40:  # in the third batch of two rows
            raise RuntimeError("connection lost")
        return original(token)

    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[NEW, OLD]):
        monkeypatch.setattr(rewrite.keys, "rotate", failing)
        with pytest.raises(RuntimeError):
            call_command("privacy_rotate_keys", "--no-progress", "--batch", "2", stdout=StringIO())
        monkeypatch.setattr(rewrite.keys, "rotate", original)
    # Each row is wholly under one key: the batches before the failure are done, the rest untouched.
    assert [key_of(o.pk) for o in orders] == [NEW] * 2 + [OLD] * 4
    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[NEW, OLD]):
        rotate()
    assert len(readable_with([NEW], Order, [o.pk for o in orders])) == 6


def test_values_no_key_can_read_are_reported_by_primary_key_and_left_alone():
    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[LOST]):
        lost = OrderFactory()
    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[OLD]):
        kept = OrderFactory(phone="07700 900009")
    out = StringIO()
    with (
        override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[NEW, OLD]),
        pytest.raises(CommandError, match="1 rows hold values no configured key decrypts"),
    ):
        call_command("privacy_rotate_keys", "--no-progress", stdout=out)
    assert f"1 unreadable with every key (pk {lost.pk})" in out.getvalue()
    assert readable_with([NEW], Order, [kept.pk])[0][1] == "07700 900009"
    assert readable_with([LOST], Order, [lost.pk])  # untouched: still readable with its own key


def test_rehash_repairs_digests_left_stale_by_a_queryset_update():
    order = OrderFactory(email="before@example.org")
    Order.objects.filter(pk=order.pk).update(email="after@example.org")  # bypasses save()
    assert not Order.objects.filter(email_digest__matches="after@example.org").exists()
    rotate("--rehash")
    assert Order.objects.filter(email_digest__matches="after@example.org").get() == order


def test_a_malformed_key_stops_the_command_without_printing_the_key():
    with (
        override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=["not-a-key-s3cr3t"]),
        pytest.raises(CommandError) as failure,
    ):
        rotate()
    assert "key 1 is not a Fernet key" in str(failure.value)
    assert "s3cr3t" not in str(failure.value)


def test_progress_is_drawn_on_stderr():
    OrderFactory()
    err = StringIO()
    call_command("privacy_rotate_keys", stdout=StringIO(), stderr=err)
    assert "orders.Order" in err.getvalue()
    assert "1/1" in err.getvalue()
