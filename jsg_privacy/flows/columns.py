"""The columns of a source's export: a human label, a kind, and the one unit every amount is in.

An export shows each exported field under its verbose name (``"Address line 1"``, never
``billing_line1``), made unique within its source (``"Billing address line 1"`` beside
``"Installation address line 1"``), and knows what kind of value it holds, so ``index.html`` can
show dates, amounts, choices and yes/no the way people read them. Amounts declared in a source's
``money`` are converted to major units (pounds, not pence) for every file of the export.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from jsg_privacy.notice.content import field_label
from jsg_privacy.registry import ModelSource, Money, Source
from jsg_privacy.registry.paths import PathError, resolve_field

#: ISO 4217 currencies without minor units: their amounts are never divided by 100.
ZERO_DECIMAL = frozenset({"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF"})
ZERO_DECIMAL |= frozenset({"UGX", "VND", "VUV", "XAF", "XOF", "XPF"})

TEXT, MULTILINE, DATETIME, DATE, TIME, MONEY, BOOL, CHOICE, LIST, NUMBER = [
    "text",
    "multiline",
    "date-time",
    "date",
    "time",
    "money",
    "boolean",
    "choice",
    "list",
    "number",
]


@dataclass
class Column:
    """One exported field: its machine name, its human label, its category and kind."""

    name: str
    label: str
    category: str = ""
    kind: str = TEXT
    money: Money | None = None
    choices: dict[str, str] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        """What ``data.json`` says of the field (``sources[].fields``)."""
        entry: dict[str, Any] = {"label": self.label, "type": self.kind}
        if self.category:
            entry["category"] = self.category
        if self.money is not None:
            entry["currency"] = self.money.currency or None
            if self.money.currency_field:
                entry["currency_field"] = self.money.currency_field
            entry["unit"] = "major"
        return entry


def columns(source: Source) -> list[Column]:
    """The source's exported fields, in export order, with labels unique within the source."""
    categories = source.personal_fields()
    found = [_column(source, name, categories.get(name, "")) for name in source.export_fields()]
    repeated = {label for label, n in Counter(c.label.casefold() for c in found).items() if n > 1}
    for column in found:
        if column.label.casefold() in repeated and "__" not in column.name:
            # billing_line1 and installation_line1 are both "address line 1": say which.
            prefix = column.name.split("_")[0]
            column.label = f"{prefix.capitalize()} {column.label[:1].lower()}{column.label[1:]}"
    return found


def _column(source: Source, name: str, category: str) -> Column:
    money = source.money.get(name)
    label = str(money.label) if money is not None and money.label else _label(source, name)
    column = Column(name=name, label=label[:1].upper() + label[1:], category=category)
    if money is not None:
        column.kind, column.money = MONEY, money
        return column
    if not isinstance(source, ModelSource):
        return column
    try:
        model_field = resolve_field(source.model, name)
    except PathError:  # reported by check jsg_privacy.E004
        return column
    if not isinstance(model_field, models.Field):
        return column
    if model_field.many_to_many:
        column.kind = LIST
    elif model_field.choices:
        column.kind = CHOICE
        column.choices = {str(k): str(v) for k, v in model_field.flatchoices}
    elif isinstance(model_field, models.DateTimeField):
        column.kind = DATETIME
    elif isinstance(model_field, models.DateField):
        column.kind = DATE
    elif isinstance(model_field, models.TimeField):
        column.kind = TIME
    elif isinstance(model_field, models.BooleanField):
        column.kind = BOOL
    elif isinstance(model_field, models.IntegerField | models.FloatField | models.DecimalField):
        column.kind = NUMBER
    elif isinstance(model_field, models.TextField):
        column.kind = MULTILINE
    return column


def _label(source: Source, name: str) -> str:
    """The field's verbose name; through a relation, the related model's name first ("order
    reference" for ``order__reference``, "order number" for ``line__order__number``)."""
    if "__" not in name or not isinstance(source, ModelSource):
        return field_label(source, name)
    try:
        target = resolve_field(source.model, name)
    except PathError:
        return field_label(source, name)
    if not isinstance(target, models.Field) or target.model is None:
        return field_label(source, name)
    return f"{target.model._meta.verbose_name} {target.verbose_name}"


def money_converters(source: Source, names: list[str]) -> list[tuple[str, Money]]:
    """The (field, declaration) of the source's amounts stored in minor units: the values an
    export converts to major units."""
    return [
        (name, money) for name, money in source.money.items() if money.minor_units and name in names
    ]


def to_major(value: Any, currency: str) -> Any:
    """An amount in minor units (``1234``) as a decimal string in major units (``"12.34"``)."""
    if value is None or value == "" or isinstance(value, bool):
        return value
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return value
    if str(currency).upper() in ZERO_DECIMAL:
        return str(amount)
    return str((amount / 100).quantize(Decimal("0.01")))


def currency_of(money: Money, record: Any) -> str:
    if money.currency:
        return money.currency
    return str(record.get(money.currency_field) or "")
