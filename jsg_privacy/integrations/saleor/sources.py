"""Saleor as remote sources: a subject's account, orders, checkouts and gift cards in the store.

Each source joins the subject's export (the same ZIP as the shop's own data) and erasure, reached
through the store's API with the app's token (every active installation; a subject is found by
e-mail address). A store that does not answer in time during an export does not sink the export:
the source raises ``SourceUnavailable``, the export marks it missing (with the reason) and is
delivered without it, and the case records what is missing.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.crypto import subjects
from jsg_privacy.integrations.saleor import erasure, identities, queries
from jsg_privacy.integrations.saleor.client import (
    PAGE_SIZE,
    Client,
    SaleorError,
    SaleorUnavailable,
)
from jsg_privacy.integrations.saleor.conf import saleor_settings
from jsg_privacy.integrations.saleor.identities import Identity
from jsg_privacy.integrations.saleor.models import Installation, Leftover
from jsg_privacy.registry import Subject

logger = logging.getLogger("jsg_privacy.integrations.saleor")

TAX_REASON = _("tax law requires sales records to be kept")


def tax_hold() -> privacy.Period:
    return privacy.Period(years=saleor_settings.TAX_HOLD_YEARS)


def tax_legal_hold(
    anchor: str, keep: Iterable[str], anchor_label: Any, **then: Any
) -> privacy.LegalHold:
    """Erasure keeps ``keep`` for the tax hold (``JSG_PRIVACY_SALEOR_TAX_HOLD_YEARS``) after ``anchor``."""
    return privacy.LegalHold(
        anchor=anchor,
        period=tax_hold(),
        reason=TAX_REASON,
        keep=tuple(keep),
        anchor_label=anchor_label,
        **then,
    )


def clients() -> Iterator[Client]:
    for installation in Installation.objects.active().order_by("pk"):
        yield Client(
            installation.api_url, installation.token, installation.version, installation.pk
        )


def address_text(address: Mapping[str, Any] | None) -> str:
    if not address:
        return ""
    parts = [f"{address.get('firstName', '')} {address.get('lastName', '')}".strip()]
    parts += [
        address.get(name) or "" for name in ("companyName", "streetAddress1", "streetAddress2")
    ]
    parts += [address.get(name) or "" for name in ("city", "cityArea", "postalCode", "countryArea")]
    parts += [(address.get("country") or {}).get("code") or "", address.get("phone") or ""]
    return ", ".join(part for part in parts if part)


def metadata_list(items: Iterable[Mapping[str, Any]] | None) -> list[str]:
    return [f"{item['key']}={item['value']}" for item in items or ()]


def money(value: Mapping[str, Any] | None) -> str:
    return f"{value['amount']} {value['currency']}" if value else ""


class Incomplete(str):
    """Yielded by a source's ``records`` among its records: the search could not be complete, and
    why (worded for the data subject). The export then says the part "may be incomplete"."""


class SaleorSource(privacy.RemoteSource):
    """What the Saleor sources share: a client per store, the person's every address and user id
    there (:mod:`.identities`), and exports that survive a timeout or say what they may miss."""

    origins = (privacy.Origin.SUBJECT,)

    def export(self, subject: Subject) -> Iterable[Mapping[str, Any]]:
        if not subject.email:
            return
        gaps: list[str] = []
        try:
            for client in clients():
                for record in self.records(client, identities.in_store(client, subject.email)):
                    if isinstance(record, Incomplete):
                        gaps.append(str(record))
                    else:
                        yield record
        except SaleorError as error:
            logger.warning("Saleor source %s missing from an export: %s", self.key, error)
            raise privacy.SourceUnavailable(
                f"{error} This part is missing from this export; ask us again later."
            ) from None
        if gaps:
            raise privacy.SourceUnavailable(" ".join(dict.fromkeys(gaps)))

    def erase(self, subject: Subject) -> int:
        if not subject.email:
            return 0
        return sum(
            self.erase_in(client, identities.in_store(client, subject.email))
            for client in clients()
        )

    def records(self, client: Client, identity: Identity) -> Iterator[dict[str, Any] | Incomplete]:
        raise NotImplementedError

    def erase_in(self, client: Client, identity: Identity) -> int:
        raise NotImplementedError


def leave(
    client: Client, identity: Identity, kind: str, saleor_id: str = "", email: str = ""
) -> None:
    """Record a :class:`~.models.Leftover` of the erasure for ``privacy_saleor_orphans``."""
    if client.installation_id is None:
        return
    Leftover.objects.create(
        installation_id=client.installation_id,
        subject_key=subjects.for_email(identity.emails[0]),
        kind=kind,
        saleor_id=saleor_id,
        email=email,
    )


def events_text(events: Iterable[Mapping[str, Any]] | None) -> list[str]:
    return [
        " ".join(
            str(part)
            for part in (
                event.get("date"),
                event.get("type"),
                event.get("email"),
                event.get("message"),
            )
            if part
        )
        for event in events or ()
    ]


class CustomerSource(SaleorSource):
    key = "saleor.customer"
    label = _("Your account in our store")
    fields = {
        inventory.ACCOUNT: [
            "email",
            "first_name",
            "last_name",
            "active",
            "date_joined",
            "last_login",
            "language",
            "note",
            "addresses",
            "events",
            "metadata",
            "private_metadata",
        ]
    }
    retention = privacy.Retention(
        anchor="account deleted",
        anchor_label=_("when you delete your account or ask us to erase your data"),
    )
    erasure = privacy.Delete()

    def _user(self, client: Client, email: str) -> dict[str, Any] | None:
        return client.execute(queries.CUSTOMER, {"email": email}).get("user")

    def records(self, client: Client, identity: Identity) -> Iterator[dict[str, Any] | Incomplete]:
        user = self._user(client, identity.emails[0])
        if user:
            yield {
                "email": user["email"],
                "first_name": user["firstName"],
                "last_name": user["lastName"],
                "active": user["isActive"],
                "date_joined": user["dateJoined"],
                "last_login": user["lastLogin"],
                "language": user["languageCode"],
                "note": user["note"] or "",
                "addresses": [address_text(a) for a in user["addresses"]],
                "events": [
                    f"{text} {(event.get('order') or {}).get('number') or ''}".strip()
                    for event, text in zip(
                        user["events"] or (), events_text(user["events"]), strict=True
                    )
                ],
                "metadata": metadata_list(user["metadata"]),
                "private_metadata": metadata_list(user["privateMetadata"]),
            }

    def erase_in(self, client: Client, identity: Identity) -> int:
        # Staff-side customer events (an address assigned by staff) name the address in rows the
        # API never shows: left for the operator's SQL, whoever deleted the account.
        for email in identity.emails:
            leave(client, identity, Leftover.Kind.CUSTOMER_EVENTS, email=email)
        user = self._user(client, identity.emails[0])
        if not user:
            if identity.user_ids:  # Saleor deleted the account itself: its addresses stay, unlinked
                leave(client, identity, Leftover.Kind.ADDRESS)
            return 0
        # Saleor keeps a deleted user's addresses, unlinked: delete them while they can be reached.
        for address in user["addresses"]:
            try:
                client.mutate(queries.ADDRESS_DELETE, {"id": address["id"]})
            except SaleorUnavailable:
                raise
            except SaleorError:
                leave(client, identity, Leftover.Kind.ADDRESS, address["id"])
        client.mutate(queries.CUSTOMER_DELETE, {"id": user["id"]})
        erasure.note(
            str(
                _("Saleor account deleted, with its %(count)d address(es).")
                % {"count": len(user["addresses"])}
            )
        )
        return 1


def payments_text(order: Mapping[str, Any]) -> list[str]:
    """The order's payments and transactions: ids, gateway, amounts and dates; never card data."""
    found = [
        " ".join(
            part
            for part in (
                payment["id"],
                payment.get("gateway") or "",
                payment.get("pspReference") or "",
                payment.get("created") or "",
                payment.get("chargeStatus") or "",
                money(payment.get("total")),
                f"captured {money(payment.get('capturedAmount'))}"
                if payment.get("capturedAmount")
                else "",
            )
            if part
        )
        for payment in order.get("payments") or ()
    ]
    for item in order.get("transactions") or ():
        amounts = (
            f"{label} {money(item.get(name))}"
            for label, name in (
                ("authorized", "authorizedAmount"),
                ("charged", "chargedAmount"),
                ("refunded", "refundedAmount"),
            )
            if item.get(name)
        )
        parts = (
            item["id"],
            item.get("name") or "",
            item.get("pspReference") or "",
            item.get("createdAt") or "",
            *amounts,
        )
        found.append(" ".join(part for part in parts if part))
    return found


#: Order event types whose message is free text (a staff note may be about the customer).
NOTE_EVENTS = frozenset({"NOTE_ADDED", "NOTE_UPDATED"})


class OrderSource(SaleorSource):
    key = "saleor.orders"
    label = _("Your orders in our store")
    fields = {
        inventory.ORDER: [
            "status",
            "lines",
            "shipping_address",
            "customer_note",
            "events",
            "metadata",
            "private_metadata",
        ],
        inventory.TRANSACTION: [
            "number",
            "created",
            "email",
            "billing_address",
            "total",
            "invoices",
            "payments",
        ],
    }
    exported = (
        "number",
        "created",
        "status",
        "email",
        "billing_address",
        "shipping_address",
        "total",
        "lines",
        "customer_note",
        "events",
        "invoices",
        "payments",
        "metadata",
        "private_metadata",
    )

    @property
    def retention(self) -> privacy.Retention:  # type: ignore[override]  # computed when read
        return privacy.Retention(
            anchor="created",
            period=tax_hold(),
            action=privacy.Action.ANONYMISE,
            anchor_label=_("after the order is placed"),
            reason=TAX_REASON,
        )

    @property
    def erasure(self) -> privacy.LegalHold:  # type: ignore[override]  # computed when read
        return tax_legal_hold(
            "created",
            ("number", "created", "total", "lines", "billing_address", "invoices", "payments"),
            _("after the order is placed"),
        )

    def _orders(self, client: Client, identity: Identity) -> Iterator[dict[str, Any]]:
        """The orders placed under any of the person's addresses or by any of their user ids."""
        emails = sorted(
            {form for email in identity.emails for form in (email, email.strip().lower())}
        )
        found = client.nodes(queries.ORDERS, {"emails": emails}, "orders")
        if identity.user_ids:
            by_user = client.nodes(
                queries.USER_ORDERS, {"users": list(identity.user_ids)}, "orders"
            )
            found = itertools.chain(found, by_user)
        seen: set[str] = set()
        for order in found:
            if order["id"] not in seen:
                seen.add(order["id"])
                yield order

    def records(self, client: Client, identity: Identity) -> Iterator[dict[str, Any] | Incomplete]:
        for order in self._orders(client, identity):
            yield {
                "number": order["number"],
                "created": order["created"],
                "status": order["status"],
                "email": order["userEmail"] or "",
                "billing_address": address_text(order["billingAddress"]),
                "shipping_address": address_text(order["shippingAddress"]),
                "total": money((order.get("total") or {}).get("gross")),
                "lines": [
                    f"{line['quantity']} x {line['productName']} {line['variantName']}".strip()
                    for line in order["lines"]
                ],
                "customer_note": order.get("customerNote") or "",
                "events": events_text(order.get("events")),
                "invoices": [
                    " ".join(
                        part
                        for part in (
                            invoice.get("number") or "",
                            invoice.get("createdAt") or "",
                            invoice.get("url") or "",
                            *metadata_list(invoice.get("metadata")),
                        )
                        if part
                    )
                    for invoice in order.get("invoices") or ()
                ],
                "payments": payments_text(order),
                "metadata": metadata_list(order["metadata"]),
                "private_metadata": metadata_list(order["privateMetadata"]),
            }

    def erase_in(self, client: Client, identity: Identity) -> int:
        keep = tuple(saleor_settings.TAX_ADDRESS_FIELDS)
        # Collected first: a pseudonymised order drops out of the e-mail filter mid-pagination.
        orders = [
            order
            for order in self._orders(client, identity)
            # Found again by user id after an earlier erasure: nothing more to change.
            if not (order["userEmail"] or "").endswith("@" + erasure.PSEUDONYM_DOMAIN)
        ]
        left = 0
        for order in orders:
            erasure.pseudonymise_order(client, order, keep=keep, email=identity.emails[0])
            # orderUpdate cannot change the customer's note or an event: left for the operator.
            if (order.get("customerNote") or "").strip():
                leave(client, identity, Leftover.Kind.CUSTOMER_NOTE, order["id"])
                left += 1
            for event in order.get("events") or ():
                if event.get("email") or (
                    event.get("type") in NOTE_EVENTS and event.get("message")
                ):
                    leave(client, identity, Leftover.Kind.ORDER_EVENT, event["id"])
                    left += 1
        if orders:
            erasure.note(
                str(
                    _(
                        "%(count)d Saleor order(s) pseudonymised: e-mail address, names, street "
                        "and phone cleared, private metadata removed; kept under the legal hold "
                        "for %(period)s after each order: %(kept)s."
                    )
                    % {"count": len(orders), "period": tax_hold(), "kept": ", ".join(keep)}
                )
            )
        if left:
            erasure.note(
                str(
                    _(
                        "%(count)d customer note(s) and order event(s) naming the customer cannot "
                        "be changed through Saleor's API: privacy_saleor_orphans gives the store's "
                        "operator the SQL that clears them."
                    )
                    % {"count": left}
                )
            )
        return len(orders)


#: Saleor filters checkouts by day: those changed since yesterday (UTC) are read directly.
RECENT_DAYS = 1
#: Pages of recent checkouts read at most (100 each); beyond, the search may be incomplete.
MAX_RECENT_PAGES = 50


class CheckoutSource(SaleorSource):
    key = "saleor.checkouts"
    label = _("Your unfinished checkouts in our store")
    fields = {
        inventory.ORDER: [
            "created",
            "updated",
            "email",
            "billing_address",
            "shipping_address",
            "lines",
            "metadata",
            "private_metadata",
        ]
    }
    retention = privacy.Retention(
        anchor="updated",
        anchor_label=_("when the checkout becomes an order or expires"),
    )
    erasure = privacy.Delete()

    def _checkouts(
        self, client: Client, identity: Identity
    ) -> Iterator[dict[str, Any] | Incomplete]:
        """The person's checkouts, found without waiting for Saleor's checkout indexing.

        A signed-in customer's through their account; a guest's through Saleor's search (which
        finds a checkout only once its scheduled indexing ran) and, for those changed since
        yesterday that it may not have reached, by reading the recent checkouts directly.
        """
        wanted = {email.strip().lower() for email in identity.emails}
        seen: set[str] = set()

        def new(checkout: dict[str, Any], *, owned: bool = False) -> bool:
            owner = checkout.get("email") or (checkout.get("user") or {}).get("email") or ""
            if checkout["id"] in seen or not (owned or owner.strip().lower() in wanted):
                return False  # search matches words: keep exact owners only
            seen.add(checkout["id"])
            return True

        for user_id in identity.user_ids:
            for checkout in client.nodes(queries.USER_CHECKOUTS, {"id": user_id}, "user.checkouts"):
                if new(checkout, owned=True):
                    yield checkout
        for email in identity.emails:
            for checkout in client.nodes(queries.CHECKOUTS, {"search": email}, "checkouts"):
                if new(checkout):
                    yield checkout
        since = (timezone.now() - timedelta(days=RECENT_DAYS)).date().isoformat()
        for number, checkout in enumerate(
            client.nodes(queries.RECENT_CHECKOUTS, {"since": since}, "checkouts")
        ):
            if number >= MAX_RECENT_PAGES * PAGE_SIZE:
                yield Incomplete(
                    _(
                        "Your unfinished checkouts may be incomplete: the store has more recent "
                        "checkouts than we could read; ask us again later."
                    )
                )
                break
            if new(checkout):
                yield checkout
        if client.version is None or client.version < (3, 23):
            yield Incomplete(
                _(
                    "Your unfinished checkouts may be incomplete: this version of our store "
                    "cannot search a guest's older checkouts by e-mail address (those are deleted "
                    "when they expire)."
                )
            )

    def records(self, client: Client, identity: Identity) -> Iterator[dict[str, Any] | Incomplete]:
        for checkout in self._checkouts(client, identity):
            if isinstance(checkout, Incomplete):
                yield checkout
                continue
            yield {
                "created": checkout["created"],
                "updated": checkout["updatedAt"],
                "email": checkout["email"] or "",
                "billing_address": address_text(checkout["billingAddress"]),
                "shipping_address": address_text(checkout["shippingAddress"]),
                "lines": [
                    f"{line['quantity']} x {line['variant']['product']['name']} "
                    f"{line['variant']['name']}".strip()
                    for line in checkout["lines"]
                ],
                "metadata": metadata_list(checkout["metadata"]),
                "private_metadata": metadata_list(checkout["privateMetadata"]),
            }

    def erase_in(self, client: Client, identity: Identity) -> int:
        found = list(self._checkouts(client, identity))
        for gap in found:
            if isinstance(gap, Incomplete):
                erasure.note(str(gap))
        checkouts = [c for c in found if not isinstance(c, Incomplete)]
        deleted = 0
        for checkout in checkouts:
            try:
                client.mutate(queries.CHECKOUT_DELETE, {"id": checkout["id"]})
            except SaleorError as error:
                if "GraphQLError" not in error.codes:
                    raise
                return self._pseudonymise(client, identity, checkouts)
            deleted += 1
        if deleted:
            erasure.note(str(_("%(count)d Saleor checkout(s) deleted.") % {"count": deleted}))
        return deleted

    def _pseudonymise(
        self, client: Client, identity: Identity, checkouts: list[dict[str, Any]]
    ) -> int:
        """Saleor 3.22 has no ``checkoutDelete``: each checkout gets the orders' pseudonym and
        erased addresses (nothing of them is kept: a checkout is no sale), and Saleor deletes it
        when it expires."""
        email = erasure.pseudonym(identity.emails[0])
        for checkout in checkouts:
            client.mutate(queries.CHECKOUT_EMAIL_UPDATE, {"id": checkout["id"], "email": email})
            for kind, mutation in (
                ("billingAddress", queries.CHECKOUT_BILLING_ADDRESS_UPDATE),
                ("shippingAddress", queries.CHECKOUT_SHIPPING_ADDRESS_UPDATE),
            ):
                if checkout.get(kind):
                    address = erasure.scrubbed_address(checkout[kind], keep=())
                    del address["skipValidation"]  # an order's; a checkout's rules are off instead
                    client.mutate(mutation, {"id": checkout["id"], "address": address})
            keys = erasure.removable_metadata(checkout)
            if keys:
                client.mutate(queries.DELETE_PRIVATE_METADATA, {"id": checkout["id"], "keys": keys})
        if checkouts:
            erasure.note(
                str(
                    _(
                        "%(count)d Saleor checkout(s) pseudonymised (this Saleor has no "
                        "checkoutDelete, 3.23+): e-mail address, names, street and phone "
                        "cleared, private metadata removed; Saleor deletes them when they expire."
                    )
                    % {"count": len(checkouts)}
                )
            )
        return len(checkouts)


class GiftCardSource(SaleorSource):
    key = "saleor.gift_cards"
    label = _("Gift cards you bought or hold in our store")
    fields = {
        inventory.TRANSACTION: [
            "code_ending",
            "created",
            "bought_by",
            "held_by",
            "active",
            "balance",
            "expires",
            "last_used",
        ]
    }

    @property
    def erasure(self) -> privacy.LegalHold:  # type: ignore[override]  # computed when read
        return tax_legal_hold(
            "created", self.fields[inventory.TRANSACTION], _("after the gift card is bought")
        )

    def records(self, client: Client, identity: Identity) -> Iterator[dict[str, Any] | Incomplete]:
        seen: set[str] = set()
        email = identity.emails[0]
        bought = itertools.chain.from_iterable(
            client.nodes(queries.GIFT_CARDS, {"email": address}, "giftCards")
            for address in identity.emails
        )
        for card in [*bought, *self._held(client, email)]:
            if card["id"] in seen:
                continue
            seen.add(card["id"])
            yield {
                "code_ending": card["displayCode"],
                "created": card["created"],
                "bought_by": card["createdByEmail"] or "",
                "held_by": card["assignedToEmail"] or "",
                "active": card["isActive"],
                "balance": money(card["currentBalance"]),
                "expires": card["expiryDate"] or "",
                "last_used": card["lastUsedOn"] or "",
            }

    def _held(self, client: Client, email: str) -> list[dict[str, Any]]:
        user = client.execute(queries.CUSTOMER_GIFT_CARDS, {"email": email, "after": None})
        connection = (user.get("user") or {}).get("giftCards") or {}
        return [edge["node"] for edge in connection.get("edges") or ()]

    def erase_in(self, client: Client, identity: Identity) -> int:
        """Nothing is changed (a gift card is a record of a sale, under the tax hold): say so."""
        kept = sum(1 for _ in self.records(client, identity))
        if kept:
            erasure.note(
                str(
                    _(
                        "%(count)d Saleor gift card(s) kept unchanged under the legal hold "
                        "(%(period)s after purchase): a gift card is a record of a sale."
                    )
                    % {"count": kept, "period": tax_hold()}
                )
            )
        return 0


SOURCES = (CustomerSource, OrderSource, CheckoutSource, GiftCardSource)
