"""Exporting one subject with many rows against a raw SQL SELECT of the same rows written as JSON.

The subject has 10,000 orders with 5 order lines each: the lines are the second, larger source
(there is no usage log yet). The export is the whole ZIP (data.json, a CSV per source, schema,
index.html) streamed to a file on disk, as a case's export is; the baseline runs one hand-written
SELECT per source with the same filter (the user, or the e-mail address in any case) and writes the
rows as JSON to a file, fetched in batches. Then the export runs once more under ``tracemalloc``:
the peak growth of Python's heap over the run, against the 50 MB target.

On the throwaway SQLite file of ``bench.settings``, or on PostgreSQL with ``JSG_BENCH_POSTGRES=1``
(the database ``BENCH_DATABASE_URL``; the rows made here are deleted afterwards).
"""

from __future__ import annotations

import gc
import itertools
import json
import secrets
import tempfile
import tracemalloc
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from bench.runner import Figure, Result, compare

ORDERS = 10_000
LINES_PER_ORDER = 5
TARGET = 2.0
MEMORY_TARGET_MB = 50
MB = 1024 * 1024
BATCH = 2000
#: Interleaved rounds (an export of 10,000 orders and two baselines each, about 3 s): a busy
#: machine's stalls land on single rounds, which the median leaves out.
ROUNDS = 15


def bulk_orders(user: Any, count: int, *, lines: int = LINES_PER_ORDER) -> list[Any]:
    """``count`` paid orders of ``user`` with ``lines`` lines each, bulk-inserted.

    The values are the factories' (UK addresses, valid MPAN cores), drawn for a few orders and
    repeated; each order has its own reference, public id, MPAN, meter serial and date. Returns the
    products ordered, which the caller deletes after the orders when the database outlives the run.
    """
    from example_shop.catalogue.models import Product
    from example_shop.factories import CategoryFactory, OrderFactory, random_mpan_core
    from example_shop.orders.models import Order, OrderLine

    tag = secrets.token_hex(4)
    category = CategoryFactory()
    products = Product.objects.bulk_create(
        Product(
            category=category,
            name=f"EM{110 + n} Single-Phase MID kWh Meter",
            slug=f"bench-{tag}-em{110 + n}",
            sku=f"JSG-B{tag}-{n}",
            kind=Product.Kind.SINGLE_PHASE_METER,
            price=Decimal("49.50") + n * 10,
            stock=25,
        )
        for n in range(lines)
    )
    own = ("id", "user", "reference", "public_id", "mpan", "meter_serial", "status", "created_at")
    own += ("subtotal", "total")
    templates = [
        {
            f.attname: getattr(order, f.attname)
            for f in Order._meta.concrete_fields
            if f.name not in own
        }
        for order in OrderFactory.build_batch(20, user=user, email=user.email)
    ]
    total = sum((p.price for p in products), Decimal(0))
    now = timezone.now()
    orders = [
        Order(
            **template,
            user=user,
            reference=f"JSG-{uuid.uuid4().hex[:12].upper()}",
            mpan=random_mpan_core(),
            meter_serial=f"S{30_000_000 + n}",
            status=Order.Status.PAID,
            subtotal=total,
            total=total,
            created_at=now - timedelta(hours=n),
        )
        for n, template in zip(range(count), itertools.cycle(templates), strict=False)
    ]
    with transaction.atomic():
        Order.objects.bulk_create(orders, batch_size=BATCH)
        OrderLine.objects.bulk_create(
            (
                OrderLine(
                    order=order,
                    product=product,
                    product_name=product.name,
                    unit_price=product.price,
                    quantity=1,
                )
                for order in orders
                for product in products
            ),
            batch_size=BATCH,
        )
    if connection.vendor == "postgresql":  # planner statistics, as a live shop's tables have
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Order._meta.db_table}, {OrderLine._meta.db_table}")
    return products


def raw_select_as_json(subject: Any, target: Path) -> int:
    """The subject's orders and order lines by hand-written SQL, written to ``target`` as JSON."""
    from jsg_privacy.registry import registry

    orders, lines = registry.sources["orders.Order"], registry.sources["orders.OrderLine"]
    mine = "o.user_id = %s OR UPPER(o.email) = UPPER(%s)"
    queries = {
        "orders": f"SELECT {columns(orders, 'o')} FROM {table(orders)} o "  # noqa: S608
        f"WHERE {mine} ORDER BY o.id",
        "lines": f"SELECT {columns(lines, 'l')} FROM {table(lines)} l "  # noqa: S608
        f"JOIN {table(orders)} o ON o.id = l.order_id WHERE {mine} ORDER BY l.id",
    }
    count = 0
    with target.open("w", encoding="utf-8") as out, connection.cursor() as cursor:
        out.write("{")
        for index, (key, sql) in enumerate(queries.items()):
            cursor.execute(sql, [subject.user_id, subject.email])
            names = [d[0] for d in cursor.description]
            out.write(f'{"," if index else ""}"{key}":[')
            separator = ""
            while batch := cursor.fetchmany(BATCH):
                for row in batch:
                    out.write(
                        separator + json.dumps(dict(zip(names, row, strict=True)), default=str)
                    )
                    separator = ","
                count += len(batch)
            out.write("]")
        out.write("}\n")
    return count


def table(source: Any) -> str:
    return connection.ops.quote_name(source.model._meta.db_table)


def columns(source: Any, alias: str) -> str:
    """The source's exported columns, as the export reads them; a path through the order (an
    order line's ``order__reference``) reads the joined order, ``o``."""
    names = []
    for name in source.export_fields():
        relation, _, rest = name.rpartition("__")
        model = source.model._meta.get_field(relation).related_model if relation else source.model
        column = connection.ops.quote_name(model._meta.get_field(rest).column)
        names.append(f"{'o' if relation else alias}.{column}")
    return ", ".join(names)


def heap_growth(run: Any) -> float:
    """Peak growth of Python's heap while ``run()`` runs, in MB (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - before) / MB


def run() -> list[Result | Figure]:
    from example_shop.factories import UserFactory
    from jsg_privacy.flows import export
    from jsg_privacy.registry import Subject

    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite (temporary file)"
    rows = f"{ORDERS:,} orders + {ORDERS * LINES_PER_ORDER:,} order lines"
    user = UserFactory(email=f"bench-{secrets.token_hex(4)}@example.co.uk")
    subject = Subject(user_id=user.pk, email=user.email)
    products = bulk_orders(user, ORDERS)
    try:
        with tempfile.TemporaryDirectory(prefix="jsg-bench-export-") as scratch:
            zip_path, json_path = Path(scratch) / "export.zip", Path(scratch) / "rows.json"
            summary = export.export(subject, zip_path)
            assert summary.rows["orders.Order"] == ORDERS, summary.rows
            assert summary.rows["orders.OrderLine"] == ORDERS * LINES_PER_ORDER, summary.rows
            assert raw_select_as_json(subject, json_path) == ORDERS * (1 + LINES_PER_ORDER)
            timing = compare(
                f"export of 1 subject ({rows}) on {database} / "
                "raw SQL SELECT of the same rows written as JSON",
                lambda: export.export(subject, zip_path),
                lambda: raw_select_as_json(subject, json_path),
                rounds=ROUNDS,
                number=1,
                target=TARGET,
            )
            heap = heap_growth(lambda: export.export(subject, zip_path))
            sizes = (
                f"ZIP {zip_path.stat().st_size / MB:.1f} MB on disk, "
                f"baseline JSON {json_path.stat().st_size / MB:.1f} MB"
            )
    finally:
        if connection.vendor == "postgresql":  # the SQLite file is thrown away with the run
            cleanup(user, products)
    memory = Figure(
        f"export of 1 subject ({rows}) on {database}, peak memory growth",
        f"{heap:.1f} MB of Python heap (tracemalloc); {sizes}; "
        f"target < {MEMORY_TARGET_MB} MB: {'met' if heap < MEMORY_TARGET_MB else 'NOT met'}",
    )
    return [timing, memory]


def cleanup(user: Any, products: list[Any]) -> None:
    """Delete what the run made, from a database that outlives it."""
    from example_shop.orders.models import Order, OrderLine

    with transaction.atomic():
        OrderLine.objects.filter(order__user=user).delete()
        Order.objects.filter(user=user).delete()
        for product in products:
            product.delete()
        user.delete()
