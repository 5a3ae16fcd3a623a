"""An export costs the same number of queries however many rows a subject has, and streams.

The subject's rows are orders with five order lines each, bulk-inserted (``bench.bench_export``,
which measures the same export at 10,000 orders against raw SQL).
"""

import gc
import tracemalloc
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.bench_export import bulk_orders
from example_shop.factories import UserFactory
from jsg_privacy.consent import ledger
from jsg_privacy.crypto import subjects
from jsg_privacy.flows import export, history, subject_data
from jsg_privacy.registry import Subject

pytestmark = pytest.mark.django_db

MAX_QUERIES_PER_SOURCE = 3
MB = 1024 * 1024


@pytest.fixture
def customer():
    user = UserFactory()
    return user, Subject(user_id=user.pk, email=user.email)


def add_consent_history(user, count):
    for index in range(count):
        ledger.append(
            subject_key=subjects.for_user(user),
            purpose=("analytics", "marketing")[index % 2],
            action=("given", "withdrawn")[index % 2],
            channel="preferences",
        )


class QueriesPerSection:
    """Queries run while each section of the export is written: a source, or the ledger parts."""

    def __init__(self, monkeypatch):
        self.counts = {}
        for module, name in (
            (subject_data, "chunks"),
            (history, "consent_records"),
            (history, "disclosures"),
        ):
            monkeypatch.setattr(module, name, self.counting(getattr(module, name), name))

    def counting(self, function, name):
        def wrapper(*args):
            section = args[0].key if name == "chunks" else name
            with CaptureQueriesContext(connection) as queries:
                yield from function(*args)
            self.counts[section] = len(queries.captured_queries)

        return wrapper

    def export(self, subject, path):
        self.counts = {}
        with CaptureQueriesContext(connection) as queries:
            summary = export.export(subject, path)
        return summary, dict(self.counts), len(queries.captured_queries)


def test_queries_do_not_grow_with_the_number_of_rows(customer, tmp_path, monkeypatch):
    user, subject = customer
    bulk_orders(user, 50)
    add_consent_history(user, 4)
    sections = QueriesPerSection(monkeypatch)
    few_summary, few, few_total = sections.export(subject, tmp_path / "few.zip")

    bulk_orders(user, 450)
    add_consent_history(user, 36)
    many_summary, many, many_total = sections.export(subject, tmp_path / "many.zip")

    assert few_summary.rows["orders.OrderLine"] == 250
    assert many_summary.rows["orders.OrderLine"] == 2500  # more than one batch of rows
    assert many_summary.consent_records == 40
    assert set(many) == {*(s.key for s in subject_data.sources()), "consent_records", "disclosures"}
    assert many == few
    assert many_total == few_total
    too_many = {section: n for section, n in many.items() if n > MAX_QUERIES_PER_SOURCE}
    assert not too_many, f"more than {MAX_QUERIES_PER_SOURCE} queries: {too_many}"


def heap_growth_mb(run):
    """The peak growth of Python's heap while ``run()`` runs, from a heap without garbage (the
    previous export's cycles, collected whenever the collector happens to run, are not its rows)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        run()
        return (tracemalloc.get_traced_memory()[1] - before) / MB
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_memory_stays_under_50_mb_for_a_subject_with_many_rows(customer, tmp_path):
    """1,000 orders and 5,000 lines: ``python -m bench export`` measures 10,000 and 50,000."""
    user, subject = customer
    path = tmp_path / "export.zip"
    export.export(subject, path)  # first-use imports and caches are not the export's growth
    bulk_orders(user, 1000)

    growth = heap_growth_mb(lambda: export.export(subject, path))

    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("data.json").file_size > MB
    assert growth < 50


@pytest.mark.slow
def test_memory_does_not_grow_with_the_number_of_rows(customer, tmp_path, monkeypatch):
    """Rows stream from the database to the ZIP on disk in batches, never all in memory at once."""
    monkeypatch.setattr(subject_data, "CHUNK", 50)  # so that a few hundred rows fill the batches
    user, subject = customer
    path = tmp_path / "export.zip"
    bulk_orders(user, 100)
    export.export(subject, path)
    fewer = heap_growth_mb(lambda: export.export(subject, path))
    with zipfile.ZipFile(path) as archive:
        before = archive.getinfo("data.json").file_size / MB

    bulk_orders(user, 300)
    more = heap_growth_mb(lambda: export.export(subject, path))

    with zipfile.ZipFile(path) as archive:
        after = archive.getinfo("data.json").file_size / MB
    assert more - fewer < (after - before) / 4, (
        f"{before:.2f} -> {after:.2f} MB of JSON took {fewer:.2f} -> {more:.2f} MB of memory"
    )
