"""The rules Oscar's declarations share: the tax hold on orders, and how long other data is kept."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from jsg_privacy import registry as privacy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: Orders, their lines, addresses and payments: UK businesses keep VAT records at least 6 years.
TAX_HOLD = privacy.Period(years=7)
TAX_REASON = _("the tax authorities require sales records to be kept; we keep them 7 years")
AFTER_ORDER = _("after the order is placed")

#: Account data is kept while the account is used.
ACCOUNT_PERIOD = privacy.Period(years=3)
AFTER_LAST_LOGIN = _("after your last log-in")


#: The parts of an Oscar address (``AbstractAddress``), as a customer reads them.
ADDRESS_FIELDS = [
    "title",
    "first_name",
    "last_name",
    "line1",
    "line2",
    "line3",
    "line4",
    "state",
    "postcode",
    "country",
]


def deleted(
    anchor: str,
    period: privacy.Period,
    when: StrOrPromise,
    reason: StrOrPromise,
    **fallback: Any,
) -> privacy.Retention:
    """Rows are deleted ``period`` after ``anchor`` (a path to a date), worded ``when``;
    ``fallback``: the date of rows whose anchor is empty, with ``fallback_label``."""
    return privacy.Retention(
        anchor=anchor,
        period=period,
        action=privacy.Action.DELETE,
        anchor_label=when,
        reason=reason,
        **fallback,
    )


def kept_with_order(anchor: str) -> privacy.Retention:
    """Deleted with the order, 7 years after it was placed (``anchor``: the path to its date)."""
    return deleted(anchor, TAX_HOLD, AFTER_ORDER, TAX_REASON)


def held_with_order(anchor: str, keep: Iterable[str]) -> privacy.LegalHold:
    """Erasure keeps ``keep`` under the tax hold (clearing the rest at once), then deletes the rows.

    Every row of an order is held from the order's own date (``anchor``: the path to
    ``Order.date_placed``), so a row and the row it hangs off end together (check E022).
    """
    return privacy.LegalHold(
        anchor=anchor,
        period=TAX_HOLD,
        reason=TAX_REASON,
        keep=tuple(keep),
        then=privacy.Delete(),
        anchor_label=AFTER_ORDER,
    )


def kept_with_account(anchor: str, opened: str) -> privacy.Retention:
    """Deleted 3 years after the account was last used (``anchor``: the path to ``last_login``),
    or, for an account never logged in to, 3 years after ``opened`` (a date every row has)."""
    return deleted(
        anchor,
        ACCOUNT_PERIOD,
        AFTER_LAST_LOGIN,
        _("an account unused for three years is closed"),
        fallback=opened,
        fallback_label=_("after it was created, if the account is never used"),
    )


def personal(fields: Mapping[str, Sequence[str]], *, but: Iterable[str] = ()) -> tuple[str, ...]:
    """Every field named in ``fields`` except ``but``: what a hold keeps."""
    left_out = set(but)
    return tuple(name for names in fields.values() for name in names if name not in left_out)
