"""``index.html``: the export as a person reads it, every record shown, written as the export streams.

The page itself is the template ``jsg_privacy/export/index.html`` (summary, the groups of the
notice with their Art. 15 information, the consent history, the search record, the rights). The
records are many, so they are not passed to the template: while the export streams a source's
rows into ``data.json`` and its CSV, :class:`Records` writes them as HTML tables to a scratch file,
a chunk at a time, and the template marks where each file goes (:func:`marker`). :func:`assemble`
then streams the page into the ZIP with the files in their places. Values are shown for the active
language: dates in its date format, amounts with their currency symbol, choices by their label.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from html import escape
from pathlib import Path
from typing import IO, Any

from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jsg_privacy.flows import columns as kinds
from jsg_privacy.flows.columns import Column
from jsg_privacy.flows.subject_data import REDACTED

#: A table with more columns than this shows each record as its own two-column table.
WIDE = 6
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
MARK = re.compile(r"<!--jsg-records-(\d+)-->")

Cell = Callable[[Any, Mapping[str, Any]], str]


def marker(index: int) -> SafeString:
    """Where the template puts the records of fragment ``index``."""
    return mark_safe(f"<!--jsg-records-{index}-->")  # noqa: S308 - a fixed comment, no input


def assemble(page: str, fragments: list[Path], out: IO[bytes]) -> None:
    """Write ``page`` to ``out`` with each marker replaced by its fragment file's content.

    The records were escaped as they were written, so a value can never look like a marker.
    """
    parts = MARK.split(page)
    out.write(parts[0].encode())
    for index, text in zip(parts[1::2], parts[2::2], strict=True):
        with fragments[int(index)].open("rb") as fragment:
            shutil.copyfileobj(fragment, out, 256 * 1024)
        out.write(text.encode())


class Cells:
    """How each kind of value is shown, for the active language; one per export."""

    def __init__(self) -> None:
        self.datetime_format = formats.get_format("DATETIME_FORMAT")
        self.date_format = formats.get_format("DATE_FORMAT")
        self.time_format = formats.get_format("TIME_FORMAT")
        self.yes, self.no = escape(_("Yes")), escape(_("No"))
        self.withheld = (
            '<em class="jsg-withheld">' + escape(_("Withheld: another person's data")) + "</em>"
        )
        self.amounts: dict[tuple[Any, str], str] = {}

    def for_column(self, column: Column) -> Cell:
        kind = column.kind
        if kind == kinds.MONEY and column.money is not None:
            money = column.money
            return lambda value, record: self.amount(value, kinds.currency_of(money, record))
        if kind == kinds.DATETIME:
            return lambda value, record: self.moment(value, self.datetime_format)
        if kind == kinds.DATE:
            return lambda value, record: self.moment(value, self.date_format)
        if kind == kinds.TIME:
            return lambda value, record: self.moment(value, self.time_format)
        if kind == kinds.BOOL:
            return lambda value, record: self.yes if value else self.no
        if kind == kinds.CHOICE:
            labels = {key: escape(label) for key, label in column.choices.items()}
            return lambda value, record: labels.get(str(value)) or escape(str(value))
        if kind == "hash":
            return lambda value, record: self.fingerprint(value)
        if kind == kinds.MULTILINE:
            return lambda value, record: escape(str(value)).replace("\n", "<br>")
        return self.text

    def text(self, value: Any, record: Mapping[str, Any]) -> str:
        if isinstance(value, list):
            return escape("; ".join(map(str, value)))
        return escape(str(value))

    def moment(self, value: Any, fmt: str) -> str:
        try:
            parsed: Any = (
                value
                if isinstance(value, datetime | date | time)
                else (datetime if "T" in str(value) else _date_or_time(str(value))).fromisoformat(
                    str(value)
                )
            )
        except ValueError:
            return escape(str(value))
        if isinstance(parsed, datetime) and timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)
        if isinstance(parsed, datetime) and fmt is not self.datetime_format:
            parsed = parsed.date()
        return escape(formats.date_format(parsed, fmt))

    def amount(self, value: Any, currency: str) -> str:
        key = (value, currency)
        shown = self.amounts.get(key)
        if shown is None:
            try:
                number = formats.number_format(
                    Decimal(str(value)),
                    0 if currency.upper() in kinds.ZERO_DECIMAL else 2,
                    None,
                    True,
                )
            except InvalidOperation:
                number = str(value)
            code = currency.upper()
            symbol = SYMBOLS.get(code)
            shown = escape(f"{symbol}{number}" if symbol else f"{number} {code}".strip())
            if len(self.amounts) < 10_000:
                self.amounts[key] = shown
        return shown

    def fingerprint(self, value: Any) -> str:
        """A 64-hex version hash, shortened as people quote a commit: the first 8 characters,
        the full value in the title for whoever needs it."""
        text = str(value)
        if len(text) != 64:
            return escape(text)
        return f'<span class="jsg-hash" title="{escape(text)}">{escape(text[:8])}</span>'


def _date_or_time(value: str) -> type[date] | type[time]:
    return time if ":" in value else date


class Records:
    """One source's (or section's) records, written as HTML to ``path`` a chunk at a time.

    Few columns: one table, a row per record. More than :data:`WIDE`: a small table per record,
    labels down the side and empty fields left out, titled by the record's first column when
    that is not personal data (an order's reference), else by its number.
    """

    def __init__(
        self,
        path: Path,
        columns: list[Column],
        cells: Cells,
        *,
        caption: str,
        singular: str,
        personal: Iterable[str] = (),
        category_labels: Mapping[str, str] | None = None,
    ) -> None:
        self.path = path
        self.count = 0
        self.caption = caption
        self.singular = singular
        self.wide = len(columns) > WIDE
        titled = bool(columns) and self.wide and columns[0].name not in set(personal)
        self.title = (columns[0].name, cells.for_column(columns[0])) if titled else None
        shown = columns[1:] if titled else columns
        self.cells = [(c.name, cells.for_column(c)) for c in shown]
        self.withheld = cells.withheld
        self.handle = path.open("w", encoding="utf-8")
        if self.wide:
            self.rows = self._row_heads(shown, category_labels or {})
        else:
            heads = "".join(f'<th scope="col">{escape(c.label)}</th>' for c in shown)
            self.handle.write(
                f'<div class="jsg-scroll"><table class="jsg-records"><caption>{escape(caption)}'
                f"</caption><thead><tr>{heads}</tr></thead><tbody>"
            )

    def _row_heads(
        self, shown: list[Column], category_labels: Mapping[str, str]
    ) -> list[tuple[str, str]]:
        """Per column, the row group it opens (a new category, if the record spans several) and
        the HTML that opens its row."""
        heads: list[tuple[str, str]] = []
        spans = len({c.category for c in shown}) > 1
        previous = None
        for column in shown:
            group = ""
            if spans and column.category != previous:
                label = category_labels.get(column.category, column.category)
                group = f'<tbody><tr><th colspan="2" scope="rowgroup">{escape(label)}</th></tr>'
                previous = column.category
            heads.append((group, f'<tr><th scope="row">{escape(column.label)}</th><td>'))
        return heads

    def add(self, records: Iterable[Mapping[str, Any]]) -> None:
        lines: list[str] = []
        append = lines.append
        withheld = self.withheld
        for record in records:
            self.count += 1
            if self.wide:
                if self.title is not None:
                    name, cell = self.title
                    value = record.get(name)
                    title = (
                        f"{escape(self.singular)} {cell(value, record) if value else self.count}"
                    )
                else:
                    title = f"{escape(self.singular)} {self.count}"
                append(f'<table class="jsg-record"><caption>{title}</caption>')
                pending, opened = "", False
                for (name, cell), (group, head) in zip(self.cells, self.rows, strict=True):
                    if group:
                        pending = group
                    value = record.get(name)
                    if value is None or value == "" or value == []:
                        continue
                    if pending:  # a group's heading only above a value it holds
                        append(("</tbody>" if opened else "") + pending)
                        pending, opened = "", True
                    shown = withheld if value == REDACTED else cell(value, record)
                    append(f"{head}{shown}</td></tr>")
                append("</tbody></table>" if opened else "</table>")
            else:
                append("<tr>")
                for name, cell in self.cells:
                    value = record.get(name)
                    if value is None or value == "" or value == []:
                        append("<td></td>")
                    else:
                        shown = withheld if value == REDACTED else cell(value, record)
                        append(f"<td>{shown}</td>")
                append("</tr>")
        self.handle.write("".join(lines))

    def close(self) -> None:
        if not self.wide:
            self.handle.write("</tbody></table></div>")
        self.handle.close()
