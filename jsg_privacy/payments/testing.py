"""Test helpers for shops using jsg_privacy's payments, whatever their gateways: the leak scan.

Each gateway ships its own test double beside it — :mod:`jsg_privacy.payments.gateways.stripe.testing`
(localstripe), :mod:`jsg_privacy.payments.gateways.dummy` (no network at all) — and these helpers
search what a test left behind for card data::

    with transport.recording() as sent:  # every request body sent to any provider
        ...pay...
    for text in [testing.database_dump(), caplog.text, *(r.body for r in sent)]:
        assert testing.card_data_in(text, cvcs=("739",)) == []
"""

from __future__ import annotations

import re
import urllib.parse


def database_dump(using: str = "default") -> str:
    """Every row of every table of the database, as text: what a leak scan searches."""
    from django.db import connections

    connection = connections[using]
    lines: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            lines.extend(f"{table}: {row!r}" for row in cursor.fetchall())
    return "\n".join(lines)


def card_data_in(text: str, cvcs: tuple[str, ...] = ()) -> list[str]:
    """Card numbers (13-19 Luhn-valid digits, spaced or not) and security codes found in ``text``.

    A security code is found when one of ``cvcs`` follows a CVC/CVV-like name (``card[cvc]=123``,
    ``"cvv": "123"``), however it is quoted or encoded.
    """
    from jsg_privacy.payments.card_data import find_card_numbers

    decoded = urllib.parse.unquote_plus(text)
    found = [*find_card_numbers(text), *find_card_numbers(decoded)]
    names = r"(?i)(cv[cv]|security.?code|card.?verification)\w*\W{0,12}"
    for cvc in cvcs:
        pattern = re.compile(names + re.escape(cvc) + r"(?!\d)")
        found += [match.group(0) for match in pattern.finditer(text + "\n" + decoded)]
    return found
