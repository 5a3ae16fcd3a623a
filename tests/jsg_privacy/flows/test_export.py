"""A subject's export: only their rows, Art. 15 information, consent history, redaction, schema."""

import csv
import io
import json
import zipfile

import jsonschema
import pytest

from example_shop.factories import EnquiryFactory, OrderFactory, QuoteRequestFactory, UserFactory
from jsg_privacy import registry as privacy
from jsg_privacy.consent import ledger
from jsg_privacy.crypto import subjects
from jsg_privacy.flows import export
from jsg_privacy.flows.subject_data import REDACTED
from jsg_privacy.registry import Subject

pytestmark = pytest.mark.django_db


def run_export(subject, tmp_path):
    path = tmp_path / "export.zip"
    summary = export.export(subject, path)
    archive = zipfile.ZipFile(path)
    return summary, archive, json.loads(archive.read("data.json"))


def records(data, key):
    return next(s["records"] for s in data["sources"] if s["key"] == key)


def test_each_export_holds_only_its_own_rows(tmp_path):
    ann, bob = UserFactory(), UserFactory()
    OrderFactory.create_batch(2, user=ann, email=ann.email)
    OrderFactory(email=ann.email.upper())  # a guest order with her address, before she signed up
    OrderFactory.create_batch(3, user=bob, email=bob.email)
    EnquiryFactory(email=ann.email)
    EnquiryFactory(email=bob.email)

    summary, archive, data = run_export(Subject(user_id=ann.pk, email=ann.email), tmp_path)

    assert summary.rows["orders.Order"] == 3
    assert summary.rows["enquiries.Enquiry"] == 1
    assert summary.rows["auth.User"] == 1
    text = archive.read("data.json").decode()
    assert bob.email not in text
    assert len(records(data, "orders.Order")) == 3


def test_the_export_is_valid_against_its_shipped_schema(tmp_path):
    user = UserFactory()
    OrderFactory(user=user, email=user.email)
    QuoteRequestFactory(email=user.email)
    _, archive, data = run_export(Subject(user_id=user.pk, email=user.email), tmp_path)
    schema = json.loads(archive.read("schema.json"))
    jsonschema.validate(data, schema)
    assert {"data.json", "schema.json", "index.html", "orders.Order.csv"} <= set(archive.namelist())


def test_art_15_information_comes_from_the_registry(tmp_path):
    user = UserFactory()
    OrderFactory(user=user, email=user.email, placed_by_agent=True)
    _, archive, data = run_export(Subject(user_id=user.pk, email=user.email), tmp_path)
    categories = {c["key"]: c for c in data["processing"]["categories"]}
    assert {"account", "order", "transaction"} <= set(categories)
    assert all(p["basis"] and p["article"] for c in categories.values() for p in c["purposes"])
    assert data["processing"]["transfers"][0]["country"] == "CN"
    assert [r["key"] for r in data["processing"]["rights"]][:3] == [
        "access",
        "rectification",
        "erasure",
    ]
    orders = next(s for s in data["sources"] if s["key"] == "orders.Order")
    assert orders["origins"] == ["you", "your employer", "an agent acting for you"]
    assert "Kept for 7 years after the order is invoiced" in orders["retention"]
    index = archive.read("index.html").decode()
    assert "Information Commissioner" in index
    assert "Your rights" in index


def test_other_peoples_data_is_redacted(tmp_path):
    user = UserFactory()
    order = OrderFactory(user=user, email=user.email, placed_by_agent=True)
    _, archive, data = run_export(Subject(user_id=user.pk), tmp_path)
    (row,) = records(data, "orders.Order")
    assert row["agent_name"] == REDACTED
    assert row["agent_email"] == REDACTED
    assert row["company_name"] == order.company_name  # the company is not a person
    assert order.agent_email not in archive.read("data.json").decode()
    assert order.agent_email not in archive.read("orders.Order.csv").decode()


def test_consent_history_and_linked_visitors_are_included(tmp_path):
    user = UserFactory()
    visitor = subjects.for_consent_id("visitor-1")
    ledger.append(subject_key=visitor, purpose="analytics", action="given", channel="banner")
    ledger.append(
        subject_key=subjects.for_user(user),
        purpose="cookies",
        action="linked",
        channel="login",
        linked_key=visitor,
    )
    ledger.append(
        subject_key=subjects.for_consent_id("other"),
        purpose="analytics",
        action="refused",
        channel="banner",
    )
    _, _, data = run_export(Subject(user_id=user.pk, email=user.email), tmp_path)
    assert [(r["purpose"], r["action"]) for r in data["consent_history"]] == [
        ("analytics", "given"),
        ("cookies", "linked"),
    ]


def test_the_csv_has_one_row_per_record_with_the_declared_columns(tmp_path):
    user = UserFactory()
    OrderFactory.create_batch(2, user=user, email=user.email)
    _, archive, _ = run_export(Subject(user_id=user.pk), tmp_path)
    lines = io.StringIO(archive.read("orders.Order.csv").decode())
    next(lines)  # the headings people read; the field names follow, for software
    rows = list(csv.DictReader(lines))
    assert len(rows) == 2
    assert "mpan" in rows[0]
    assert "password" not in archive.read("auth.User.csv").decode()


def test_queries_do_not_grow_with_the_number_of_rows(tmp_path, django_assert_max_num_queries):
    user = UserFactory()
    OrderFactory.create_batch(3, user=user, email=user.email)
    QuoteRequestFactory.create_batch(2, email=user.email)
    subject = Subject(user_id=user.pk, email=user.email)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        export.export(subject, tmp_path / "a.zip")
    OrderFactory.create_batch(40, user=user, email=user.email)
    QuoteRequestFactory.create_batch(20, email=user.email)
    with CaptureQueriesContext(connection) as many:
        export.export(subject, tmp_path / "b.zip")
    assert len(many.captured_queries) == len(few.captured_queries)
    from jsg_privacy.registry import registry

    assert len(many.captured_queries) <= 3 * len(registry.sources) + 5


class FlakyCRM(privacy.RemoteSource):
    """A remote system that answers with one record, then loses the connection."""

    key = "crm.contacts"
    label = "Our CRM"
    fields = {"account": ["name"]}
    retention = privacy.Retention(anchor="created", period=privacy.Period(years=1))

    def export(self, subject):
        yield {"name": "Ann"}
        raise privacy.SourceUnavailable("The CRM did not answer in time.")

    def erase(self, subject):
        return 0


def test_a_remote_source_that_cannot_be_reached_is_marked_missing_and_the_rest_delivered(
    tmp_path,
):
    user = UserFactory()
    EnquiryFactory(email=user.email)
    with privacy.temporarily():
        privacy.registry.register_remote(FlakyCRM())
        summary, archive, data = run_export(Subject(user.pk, user.email), tmp_path)
        jsonschema.validate(data, json.loads(archive.read("schema.json")))
    crm = next(s for s in data["sources"] if s["key"] == "crm.contacts")
    assert crm["missing"] == "The CRM did not answer in time."
    assert crm["records"] == [{"name": "Ann"}]  # what came before the failure is kept, flagged
    assert summary.missing == {"crm.contacts": "The CRM did not answer in time."}
    assert len(records(data, "enquiries.Enquiry")) == 1
    assert "missing" not in next(s for s in data["sources"] if s["key"] == "enquiries.Enquiry")
    assert "Our CRM (The CRM did not answer in time.)" in archive.read("index.html").decode()


def test_dates_times_and_amounts_read_as_the_database_holds_them(tmp_path):
    """Read a column at a time (SQLite's date-times as their stored text, its decimals as floats),
    every value still comes out as Django reads it: ISO date-times in UTC, with microseconds only
    when there are some, and amounts with their decimal places; a date-time another program
    stored in another form is read as Django would read it."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from django.db import connection

    from example_shop.orders.models import Order

    user = UserFactory()
    exact, fine, other = OrderFactory.create_batch(3, user=user, email=user.email)
    for order, total, created in (
        (exact, "1249.50", datetime(2026, 3, 4, 10, 30, tzinfo=UTC)),
        (fine, "0.10", datetime(2026, 3, 4, 10, 30, 5, 120, tzinfo=UTC)),
        (other, "7", datetime(2026, 3, 5, tzinfo=UTC)),
    ):
        Order.objects.filter(pk=order.pk).update(total=Decimal(total), created_at=created)
    if connection.vendor == "sqlite":  # written by something other than Django, with an offset
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE orders_order SET created_at = %s WHERE id = %s",
                ["2026-03-04T11:30:00+01:00", other.pk],
            )
    other.refresh_from_db()

    _, archive, data = run_export(Subject(user_id=user.pk, email=user.email), tmp_path)

    shown = {r["reference"]: r for r in records(data, "orders.Order")}
    assert shown[exact.reference]["created_at"] == "2026-03-04T10:30:00+00:00"
    assert shown[exact.reference]["total"] == "1249.50"
    assert shown[fine.reference]["created_at"] == "2026-03-04T10:30:05.000120+00:00"
    assert shown[fine.reference]["total"] == "0.10"
    assert shown[other.reference]["created_at"] == other.created_at.isoformat()
    assert shown[other.reference]["total"] == "7.00"
    assert shown[exact.reference]["invoiced_at"] is None
    page = archive.read("index.html").decode()
    assert "£1,249.50" in page
    assert "4 Mar 2026" in page


def test_records_written_a_column_at_a_time_are_the_json_the_encoder_writes():
    """data.json is put together from columns; every kind of value reads as json.dumps has it."""
    from decimal import Decimal

    from django.utils.safestring import mark_safe

    keys = ["name", "note", "count", "flag", "ratio", "amount", "tags", "100%", "empty"]
    rows = [
        [
            'Ann "Nan" O\'Neil',
            "line\nbreak\ttab \u0007 ŵ é 😀",
            3,
            True,
            0.1,
            Decimal("1.50"),
            [],
            "a",
            None,
        ],
        ["Bob", None, -7, False, float("inf"), Decimal("0"), ["x", "y"], mark_safe("<b>"), None],
        ["", "%s %d", 10**20, None, 2.5e-8, None, [1, None], "", None],
    ]
    columns = [list(column) for column in zip(*rows, strict=True)]
    records = [dict(zip(keys, row, strict=True)) for row in rows]

    assert export._json_records(keys, columns, len(rows)) == export._dump(records)[1:-1]
    assert json.loads(f"[{export._json_records(keys, columns, len(rows))}]")[1]["tags"] == [
        "x",
        "y",
    ]
    assert export._json_records([], [], 2) == export._dump([{}, {}])[1:-1]
