"""Retention rules and erasure actions, as declared on a source.

They are descriptions, not code paths: the retention engine and the erasure flow read them, the notice
and the Art. 30 record print them, and the system checks validate them against the models.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jsg_privacy.registry import anonymisers
from jsg_privacy.registry.paths import resolve_value

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Action(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"


@dataclass(frozen=True)
class Period:
    """A calendar period: years and months are calendar units, not 365 or 30 days."""

    years: int = 0
    months: int = 0
    days: int = 0

    @property
    def is_valid(self) -> bool:
        """Whole, non-negative numbers (a wrong period is reported by check E007, not raised)."""
        parts = (self.years, self.months, self.days)
        return all(isinstance(n, int) and n >= 0 for n in parts)

    def after(self, moment: date | datetime) -> date | datetime:
        """The moment this period after ``moment``, clamping the day to the month's end."""
        month_index = moment.month - 1 + self.months + 12 * self.years
        year, month = moment.year + month_index // 12, month_index % 12 + 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        return moment.replace(year=year, month=month, day=day) + timedelta(days=self.days)

    def __str__(self) -> str:
        parts = [
            ngettext("%(n)d year", "%(n)d years", self.years) % {"n": self.years},
            ngettext("%(n)d month", "%(n)d months", self.months) % {"n": self.months},
            ngettext("%(n)d day", "%(n)d days", self.days) % {"n": self.days},
        ]
        chosen = [
            part for part, n in zip(parts, (self.years, self.months, self.days), strict=True) if n
        ]
        return ", ".join(chosen) if chosen else _("no time")


@dataclass(frozen=True)
class Retention:
    """Keep data for ``period`` after ``anchor``, then ``action`` it.

    ``anchor`` names a date or datetime field of the model (``"answered_at"``, ``"last_login"``,
    ``"order__completed_at"``) or, for remote sources, an event. A row whose anchor is empty (an
    order never invoiced, an account never used) falls back on ``fallback`` — a date every row has,
    such as ``"created_at"`` — kept ``fallback_period`` after it (default: ``period``). Without a
    fallback such rows are never due: check E025 reports a nullable anchor with no fallback, and the
    retention dry run counts them.
    """

    anchor: str
    period: Period = field(default_factory=Period)
    action: Action = Action.DELETE
    #: How the notice words the anchor, e.g. "after your enquiry is answered".
    anchor_label: StrOrPromise = ""
    reason: StrOrPromise = ""
    #: The date a row whose anchor is empty is kept from, e.g. ``"created_at"``.
    fallback: str = ""
    fallback_period: Period | None = None
    #: How the notice words the fallback, e.g. "after the order is placed, if it is never invoiced".
    fallback_label: StrOrPromise = ""

    @property
    def fallback_kept(self) -> Period:
        return self.fallback_period if self.fallback_period is not None else self.period

    def describe(self) -> str:
        when = self.anchor_label or _("after %(anchor)s") % {
            "anchor": self.anchor.replace("_", " ")
        }
        verb = _("deleted") if self.action == Action.DELETE else _("anonymised")
        if self.period == Period():
            text = _("%(verb)s %(when)s") % {"verb": verb.capitalize(), "when": when}
        else:
            text = _("Kept for %(period)s %(when)s, then %(verb)s") % {
                "period": self.period,
                "when": when,
                "verb": verb,
            }
        if self.fallback:
            otherwise = self.fallback_label or _("after %(anchor)s") % {
                "anchor": self.fallback.replace("_", " ")
            }
            text += _("; otherwise %(period)s %(when)s") % {
                "period": self.fallback_kept,
                "when": otherwise,
            }
        return text


Anonymiser = Callable[[Any, Any], Any]
"""A function ``(instance, current_value) -> new_value``, see :mod:`jsg_privacy.registry.anonymisers`."""


@dataclass(frozen=True)
class Delete:
    """Erasure deletes the subject's rows."""

    def describe(self) -> str:
        return _("deleted")


@dataclass(frozen=True)
class Anonymise:
    """Erasure replaces the personal fields, keeping the row (an order's totals, say).

    Fields not named in ``fields`` get the default anonymiser for their type
    (:func:`jsg_privacy.registry.anonymisers.default_for`).
    """

    fields: Mapping[str, Anonymiser] = field(default_factory=dict)

    def anonymiser_for(self, model_field: Any, name: str = "") -> Anonymiser:
        """The anonymiser of the declared field ``name`` (a key inside a JSON field, such as
        ``"extra__phone"``, defaults to removing the key), or of ``model_field``."""
        declared = self.fields.get(name or model_field.name)
        if declared is not None:
            return declared
        if name and "__" in name:
            return anonymisers.drop_key
        return anonymisers.default_for(model_field)

    def describe(self) -> str:
        return _("anonymised")


@dataclass(frozen=True)
class LegalHold:
    """Erasure keeps the rows until ``period`` after ``anchor`` because the law requires it.

    ``keep`` names the fields the law needs (an invoice's name, address and amounts): on erasure the
    other personal fields are cleared at once with ``then``'s anonymisers, the kept ones stay until
    the hold ends. ``then`` is what happens when the hold ends (by the retention engine): usually
    :class:`Anonymise`. Example: invoices are kept 7 years after invoicing for HMRC.
    """

    anchor: str
    period: Period
    reason: StrOrPromise
    then: Delete | Anonymise = field(default_factory=Anonymise)
    keep: tuple[str, ...] = ()
    #: How the notice words the anchor, e.g. "after the order is invoiced".
    anchor_label: StrOrPromise = ""

    def until(self, instance: Any) -> date | datetime | None:
        start = resolve_value(instance, self.anchor)
        return self.period.after(start) if start else None

    def describe(self) -> str:
        when = self.anchor_label or _("after %(anchor)s") % {
            "anchor": self.anchor.replace("_", " ")
        }
        return _("kept for %(period)s %(when)s (%(reason)s), then %(then)s") % {
            "period": self.period,
            "when": when,
            "reason": self.reason,
            "then": self.then.describe(),
        }


Erasure = Delete | Anonymise | LegalHold
