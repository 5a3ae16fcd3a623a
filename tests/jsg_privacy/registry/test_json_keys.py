"""Personal data inside a JSON field, declared by key: exported, erased, anonymised by retention,
and a subject found through a key (a guest's e-mail inside ``extra``)."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from jsg_privacy.flows import erase, export
from jsg_privacy.registry import Subject
from jsg_privacy.retention import engine
from tests.testapp.models import Delivery

pytestmark = pytest.mark.django_db

GUEST = "Guest.Person@example.org"


def delivery(email=GUEST, **extra):
    document = {
        "contact": {"email": email, "name_on_bell": "Flat 2"},
        "phone": "07700 900123",
        "gift_message": "Happy birthday, Sam",
        "colour": "blue",
        **extra,
    }
    return Delivery.objects.create(
        reference=f"D-{Delivery.objects.count() + 1}", extra=document, placed_at=timezone.now()
    )


def exported(subject):
    buffer = io.BytesIO()
    export.export(subject, buffer)
    data = json.loads(zipfile.ZipFile(buffer).read("data.json"))
    return next(s for s in data["sources"] if s["key"] == "testapp.Delivery")["records"]


def test_a_guest_is_found_by_the_e_mail_inside_the_json_field_and_exported_by_key():
    mine = delivery()
    delivery(email="someone.else@example.org")

    records = exported(Subject(email="guest.person@EXAMPLE.org"))

    assert records == [
        {
            "extra__contact__email": GUEST,
            "extra__phone": "07700 900123",
            "extra__gift_message": "Happy birthday, Sam",
            "placed_at": mine.placed_at.isoformat(),
        }
    ]


def test_erasure_removes_every_declared_key_and_keeps_the_rest():
    mine = delivery()
    other = delivery(email="someone.else@example.org")

    erase.erase(Subject(email=GUEST))

    mine.refresh_from_db()
    assert mine.extra == {"contact": {"name_on_bell": "Flat 2"}, "colour": "blue"}
    text = json.dumps(mine.extra)
    for value in (GUEST, "07700 900123", "Happy birthday"):
        assert value not in text  # a declared key left intact after erasure would be a defect
    other.refresh_from_db()
    assert other.extra["phone"] == "07700 900123"  # someone else's row is untouched
    assert not Delivery.objects.filter(extra__contact__email__iexact=GUEST).exists()


def test_erasure_of_a_row_whose_keys_are_missing_changes_nothing_and_does_not_fail():
    row = Delivery.objects.create(
        reference="D-9", extra={"contact": {"email": GUEST}}, placed_at=timezone.now()
    )

    erase.erase(Subject(email=GUEST))

    row.refresh_from_db()
    assert row.extra == {"contact": {}}


def test_retention_anonymises_the_declared_keys_of_old_rows():
    old = delivery()
    Delivery.objects.filter(pk=old.pk).update(placed_at=timezone.now() - timedelta(days=400))
    recent = delivery(email="recent@example.org")

    engine.enforce(warn=False)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert "phone" not in old.extra
    assert "gift_message" not in old.extra
    assert recent.extra["phone"] == "07700 900123"
