"""What Saleor keeps of an erased customer that its API cannot clear: found, cleared or handed over.

An erasure records each such thing as a :class:`~.models.Leftover` (Saleor ids only; for the
staff-side customer events, the address to look for). :func:`clear` deletes through the API what it
can (an address row Saleor still shows), and returns the SQL the store's operator runs on Saleor's
database for the rest — an order's customer note, an order event naming the customer, customer
events written by staff about the customer, and the address rows Saleor keeps, unlinked, after it
deleted an account itself. Each leftover handed over as SQL is marked (``sql_given_at``); once the
operator has run it, :func:`forget_given` deletes the records.

Table and column names are Saleor 3.22/3.23's (``saleor/*/models.py``).
"""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from jsg_privacy.integrations.saleor import queries
from jsg_privacy.integrations.saleor.client import Client, SaleorError, SaleorUnavailable
from jsg_privacy.integrations.saleor.models import Installation, Leftover

#: Deletes the address rows nothing refers to any more: those Saleor keeps after deleting an
#: account. Another store's table referring to an address makes the statement fail (a foreign
#: key), never lose a row in use.
ORPHANED_ADDRESSES = """DELETE FROM account_address a
WHERE NOT EXISTS (SELECT 1 FROM account_user_addresses ua WHERE ua.address_id = a.id)
  AND NOT EXISTS (SELECT 1 FROM account_user u
                  WHERE a.id IN (u.default_billing_address_id, u.default_shipping_address_id))
  AND NOT EXISTS (SELECT 1 FROM order_order o
                  WHERE a.id IN (o.billing_address_id, o.shipping_address_id))
  AND NOT EXISTS (SELECT 1 FROM checkout_checkout c
                  WHERE a.id IN (c.billing_address_id, c.shipping_address_id))
  AND NOT EXISTS (SELECT 1 FROM warehouse_warehouse w WHERE w.address_id = a.id)
  AND NOT EXISTS (SELECT 1 FROM site_sitesettings s WHERE s.company_address_id = a.id);"""


class BadId(ValueError):
    """A recorded id is not a Saleor global id of the expected type."""


def database_id(global_id: str, kind: str) -> str:
    """The primary key in a Saleor global id (``base64("Order:<uuid>")``), checked to be safe SQL."""
    try:
        decoded = base64.b64decode(global_id, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise BadId(global_id) from None
    name, _, key = decoded.partition(":")
    allowed = set("0123456789abcdef-") if kind == "Order" else set("0123456789")
    if name != kind or not key or not set(key.lower()) <= allowed:
        raise BadId(global_id)
    return key


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass
class Outcome:
    """What :func:`clear` did in one store."""

    cleared: int = 0
    sql: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def pending(subject_key: str | None = None) -> QuerySet[Leftover]:
    rows = Leftover.objects.select_related("installation")
    return rows.filter(subject_key=subject_key) if subject_key else rows


def counts(rows: Iterable[Leftover]) -> dict[str, dict[str, int]]:
    """Per store, how many leftovers of each kind (none is named)."""
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        found[row.installation.api_url][row.get_kind_display()] += 1
    return {store: dict(kinds) for store, kinds in found.items()}


def clear(installation: Installation, rows: list[Leftover]) -> Outcome:
    """Clear the store's leftovers through its API where it can; the SQL for the rest."""
    outcome = Outcome()
    client = Client(installation.api_url, installation.token, installation.version, installation.pk)
    by_kind: dict[str, list[Leftover]] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)
    given: list[Leftover] = []
    unlinked = False
    for row in by_kind[Leftover.Kind.ADDRESS]:
        if not row.saleor_id:
            unlinked = True  # Saleor deleted the account itself: its addresses are unlinked
            given.append(row)
            continue
        try:
            client.mutate(queries.ADDRESS_DELETE, {"id": row.saleor_id})
        except SaleorUnavailable:
            raise
        except SaleorError as error:
            if "NOT_FOUND" not in error.codes:  # already gone: nothing left to clear
                outcome.failed.append(str(error))
                unlinked = True
                given.append(row)
                continue
        row.delete()
        outcome.cleared += 1
    if unlinked:
        outcome.sql.append(ORPHANED_ADDRESSES)
    outcome.sql += _statements(by_kind, given, outcome)
    Leftover.objects.filter(pk__in=[row.pk for row in given]).update(sql_given_at=timezone.now())
    return outcome


def _statements(
    by_kind: dict[str, list[Leftover]], given: list[Leftover], outcome: Outcome
) -> list[str]:
    def keys(kind: str, model: str, quote: bool) -> list[str]:
        found = []
        for row in by_kind[kind]:
            try:
                key = database_id(row.saleor_id, model)
            except BadId:
                outcome.failed.append(f"{row.get_kind_display()}: not a Saleor {model} id.")
                continue
            found.append(literal(key) if quote else key)
            given.append(row)
        return found

    # Printed for the operator, never executed here: ids are checked digits or hex, addresses quoted.
    sql = []
    notes = keys(Leftover.Kind.CUSTOMER_NOTE, "Order", quote=True)
    if notes:
        listed = ", ".join(notes)
        # Saleor's order search index (``search_vector``) holds the note's words too, and only
        # Saleor re-indexes an order: its words are taken out of the index with the note (the
        # right-hand sides read the row as it was). A word the order holds elsewhere as well (its
        # city, say) goes too: the order is no longer found by it, and nothing is lost.
        sql.append(
            "UPDATE order_order SET search_vector = ts_delete(search_vector, "  # noqa: S608
            "tsvector_to_array(to_tsvector('simple', customer_note))), customer_note = '' "
            f"WHERE id IN ({listed});"
        )
    events = keys(Leftover.Kind.ORDER_EVENT, "OrderEvent", quote=False)
    if events:
        sql.append(
            "UPDATE order_orderevent SET parameters = parameters - 'email' - 'message' "  # noqa: S608
            f"WHERE id IN ({', '.join(events)});"
        )
    addresses = sorted(
        {literal(row.email.lower()) for row in by_kind[Leftover.Kind.CUSTOMER_EVENTS]}
    )
    if addresses:
        given += by_kind[Leftover.Kind.CUSTOMER_EVENTS]
        listed = ", ".join(addresses)
        sql.append(
            "UPDATE account_customerevent SET parameters = parameters - 'message' - 'email' "  # noqa: S608
            f"WHERE lower(parameters->>'message') IN ({listed}) "
            f"OR lower(parameters->>'email') IN ({listed});"
        )
    return sql


def forget_given(subject_key: str | None = None) -> int:
    """The operator ran the SQL: delete the leftovers it was given for; how many."""
    deleted, _ = pending(subject_key).filter(sql_given_at__isnull=False).delete()
    return deleted
