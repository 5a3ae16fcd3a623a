"""Saleor as remote sources: a subject's account, orders, checkouts and gift cards in the store.

Each source joins the subject's export (the same ZIP as the shop's own data) and erasure, reached
through the store's API with the app's token (every active installation; a subject is found by
e-mail address). A store that does not answer in time during an export does not sink the export:
the source raises ``SourceUnavailable``, the export marks it missing (with the reason) and is
delivered without it, and the case records what is missing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.integrations.saleor import erasure, queries
from jsg_privacy.integrations.saleor.client import Client, SaleorError
from jsg_privacy.integrations.saleor.conf import saleor_settings
from jsg_privacy.integrations.saleor.models import Installation
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
        yield Client(installation.api_url, installation.token, installation.version)


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


class SaleorSource(privacy.RemoteSource):
    """What the Saleor sources share: a client per store, and exports that survive a timeout."""

    origins = (privacy.Origin.SUBJECT,)

    def export(self, subject: Subject) -> Iterable[Mapping[str, Any]]:
        if not subject.email:
            return
        try:
            for client in clients():
                yield from self.records(client, subject.email)
        except SaleorError as error:
            logger.warning("Saleor source %s missing from an export: %s", self.key, error)
            raise privacy.SourceUnavailable(
                f"{error} This part is missing from this export; ask us again later."
            ) from None

    def erase(self, subject: Subject) -> int:
        if not subject.email:
            return 0
        return sum(self.erase_in(client, subject.email) for client in clients())

    def records(self, client: Client, email: str) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def erase_in(self, client: Client, email: str) -> int:
        raise NotImplementedError


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

    def records(self, client: Client, email: str) -> Iterator[dict[str, Any]]:
        user = self._user(client, email)
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
                "metadata": metadata_list(user["metadata"]),
                "private_metadata": metadata_list(user["privateMetadata"]),
            }

    def erase_in(self, client: Client, email: str) -> int:
        user = self._user(client, email)
        if not user:
            return 0
        client.mutate(queries.CUSTOMER_DELETE, {"id": user["id"]})
        erasure.note(str(_("Saleor account deleted.")))
        return 1


class OrderSource(SaleorSource):
    key = "saleor.orders"
    label = _("Your orders in our store")
    fields = {
        inventory.ORDER: ["status", "lines", "shipping_address", "metadata", "private_metadata"],
        inventory.TRANSACTION: ["number", "created", "email", "billing_address", "total"],
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
            ("number", "created", "total", "lines", "billing_address"),
            _("after the order is placed"),
        )

    def _orders(self, client: Client, email: str) -> Iterator[dict[str, Any]]:
        emails = sorted({email, email.strip().lower()})
        return client.nodes(queries.ORDERS, {"emails": emails}, "orders")

    def records(self, client: Client, email: str) -> Iterator[dict[str, Any]]:
        for order in self._orders(client, email):
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
                "metadata": metadata_list(order["metadata"]),
                "private_metadata": metadata_list(order["privateMetadata"]),
            }

    def erase_in(self, client: Client, email: str) -> int:
        keep = tuple(saleor_settings.TAX_ADDRESS_FIELDS)
        # Collected first: a pseudonymised order drops out of the e-mail filter mid-pagination.
        orders = list(self._orders(client, email))
        for order in orders:
            erasure.pseudonymise_order(client, order, keep=keep)
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
        return len(orders)


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

    def _checkouts(self, client: Client, email: str) -> Iterator[dict[str, Any]]:
        wanted = email.strip().lower()
        for checkout in client.nodes(queries.CHECKOUTS, {"search": email}, "checkouts"):
            owner = checkout.get("email") or (checkout.get("user") or {}).get("email") or ""
            if owner.strip().lower() == wanted:  # search matches words; keep exact owners only
                yield checkout

    def records(self, client: Client, email: str) -> Iterator[dict[str, Any]]:
        for checkout in self._checkouts(client, email):
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

    def erase_in(self, client: Client, email: str) -> int:
        if client.version is None or client.version < (3, 23):
            # 3.22's checkout search matches a signed-in customer's e-mail, not a guest's.
            erasure.note(
                str(
                    _(
                        "Guest checkouts cannot be searched by e-mail before Saleor 3.23: any "
                        "left are deleted by Saleor when they expire."
                    )
                )
            )
        checkouts = list(self._checkouts(client, email))
        deleted = 0
        for checkout in checkouts:
            try:
                client.mutate(queries.CHECKOUT_DELETE, {"id": checkout["id"]})
            except SaleorError as error:
                if "GraphQLError" not in error.codes:
                    raise
                erasure.note(
                    str(
                        _(
                            "%(count)d Saleor checkout(s) left to expire: this Saleor has no "
                            "checkoutDelete (3.23+)."
                        )
                        % {"count": len(checkouts)}
                    )
                )
                return 0
            deleted += 1
        if deleted:
            erasure.note(str(_("%(count)d Saleor checkout(s) deleted.") % {"count": deleted}))
        return deleted


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

    def records(self, client: Client, email: str) -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        bought = client.nodes(queries.GIFT_CARDS, {"email": email}, "giftCards")
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

    def erase_in(self, client: Client, email: str) -> int:
        """Nothing is changed (a gift card is a record of a sale, under the tax hold): say so."""
        kept = sum(1 for _ in self.records(client, email))
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
