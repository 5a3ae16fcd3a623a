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
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from html import escape
from itertools import repeat
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

#: A cell's value as HTML, given the value and (where :attr:`Records.needs_records`) its record.
Cell = Callable[[Any, Mapping[str, Any] | None], str]


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
        self.date_format = formats.get_format("DATE_FORMAT")
        self.time_format = formats.get_format("TIME_FORMAT")
        self.yes, self.no = text(_("Yes")), text(_("No"))
        self.withheld = (
            '<em class="jsg-withheld">' + text(_("Withheld: another person's data")) + "</em>"
        )
        self.amounts: dict[tuple[Any, str], str] = {}
        self.zone = timezone.get_current_timezone()
        # Dates and times repeat: each is formatted once (formatting is the slow part), in caches
        # emptied when full (remember()), so memory stays flat however many rows are shown.
        self.dates: dict[date, str] = {}
        self.times: dict[tuple[int, int], str] = {}

    def for_column(self, column: Column) -> Cell | None:
        kind = column.kind
        if kind == kinds.MONEY and column.money is not None:
            money = column.money
            if money.currency:  # one currency: each amount formatted once, then looked up
                shown: dict[Any, str] = {}
                currency = money.currency

                def fixed(value: Any, record: Mapping[str, Any] | None) -> str:
                    found = shown.get(value)
                    if found is None:
                        found = remember(shown, value, self.amount(value, currency))
                    return found

                return fixed
            return lambda value, record: self.amount(value, kinds.currency_of(money, record))
        if kind == kinds.DATETIME or kind == kinds.DATE or kind == kinds.TIME:
            return lambda value, record: self.moment(value)
        if kind == kinds.BOOL:
            return lambda value, record: self.yes if value else self.no
        if kind == kinds.CHOICE:
            labels = {key: text(label) for key, label in column.choices.items()}
            return lambda value, record: labels.get(str(value)) or text(str(value))
        if kind == "hash":
            return lambda value, record: self.fingerprint(value)
        if kind == kinds.MULTILINE:
            return lambda value, record: text(str(value)).replace("\n", "<br>")
        if kind == kinds.LIST:
            return lambda value, record: text(
                "; ".join(map(str, value)) if isinstance(value, list) else str(value)
            )
        return None  # plain text: shown inline, the commonest and cheapest case

    def moment(self, value: Any) -> str:
        """A date and time in the language's formats: "4 Mar 2026, 10:30 a.m." in British
        English, in the shop's time zone."""
        try:
            parsed: Any = value if isinstance(value, datetime | date | time) else _parse(value)
        except ValueError:
            return text(str(value))
        if isinstance(parsed, time):
            return self.clock(parsed)
        if not isinstance(parsed, datetime):
            return self.day(parsed)
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(self.zone)
        return f"{self.day(parsed.date())}, {self.clock(parsed.time())}"

    def day(self, value: date) -> str:
        shown = self.dates.get(value)
        if shown is None:
            shown = remember(self.dates, value, text(formats.date_format(value, self.date_format)))
        return shown

    def clock(self, value: time) -> str:
        key = (value.hour, value.minute)
        shown = self.times.get(key)
        if shown is None:
            shown = remember(self.times, key, text(formats.time_format(value, self.time_format)))
        return shown

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
            shown = remember(
                self.amounts,
                key,
                text(f"{symbol}{number}" if symbol else f"{number} {code}".strip()),
            )
        return shown

    def fingerprint(self, value: Any) -> str:
        """A 64-hex version hash, shortened as people quote a commit: the first 8 characters,
        the full value in the title for whoever needs it."""
        full = str(value)
        if len(full) != 64:
            return text(full)
        return f'<span class="jsg-hash" title="{escape(full)}">{text(full[:8])}</span>'


#: Entries a formatting cache holds before it is emptied: rows are read in key order, so the
#: values that repeat (an order's date on its lines) are near each other.
CACHE_SIZE = 128


def remember(cache: dict[Any, str], key: Any, shown: str) -> str:
    """Keep ``shown`` for ``key`` in ``cache`` (emptied first when full) and return it."""
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = shown
    return shown


def _parse(value: Any) -> date | time:
    value = str(value)
    if "T" in value or " " in value:
        return datetime.fromisoformat(value)
    return time.fromisoformat(value) if ":" in value else date.fromisoformat(value)


def text(value: str) -> str:
    """``value`` made safe inside an element: only ``&``, ``<`` and ``>`` need escaping there
    (checked first: most values have none)."""
    if "&" in value or "<" in value or ">" in value:
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


#: Stands for a value withheld as another person's data, while a record is shown.
WITHHELD = object()
ROW_END = "</td></tr>"


class Records:
    """One source's (or section's) records, written as HTML to ``path`` a chunk at a time.

    Few columns: one table, a row per record. More than :data:`WIDE`: a small table per record,
    labels down the side and empty fields left out, titled by the record's first column when
    that is not personal data (an order's reference), else by its number. A record that spans
    several categories has a row group per category, headed by its name.

    Written for speed, as an export may hold tens of thousands of records: a record's values are
    fetched in one call, and plain text (most values) is shown without a function call.
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
        redacted: Iterable[str] = (),
        category_labels: Mapping[str, str] | None = None,
    ) -> None:
        self.path = path
        self.count = 0
        self.caption = caption
        self.singular = text(singular)
        self.wide = len(columns) > WIDE
        titled = bool(columns) and self.wide and columns[0].name not in set(personal)
        self.title = (columns[0].name, cells.for_column(columns[0])) if titled else None
        shown = columns[1:] if titled else columns
        self.names = [column.name for column in shown]
        self.offset = 1 if titled else 0
        self.cells = [cells.for_column(column) for column in shown]
        #: Whether a value is shown with another field of its record (an amount's currency).
        self.needs_records = any(
            column.kind == kinds.MONEY and column.money is not None and not column.money.currency
            for column in columns
        )
        self.withheld = cells.withheld
        #: Only fields declared as other people's are compared with the redaction marker.
        hidden = frozenset(redacted)
        self.withholdable = [name in hidden for name in self.names]
        self.any_withholdable = any(self.withholdable)
        #: Opened at the first record: a source the subject has nothing in writes no file.
        self.handle: IO[str] | None = None
        self.opening = ""
        self.heads: list[str] = []
        self.groups: list[tuple[int, int, str]] = []
        if self.wide:
            self.heads = [f'<tr><th scope="row">{escape(c.label)}</th><td>' for c in shown]
            self.groups = self._groups(shown, category_labels or {})
        else:
            labels = "".join(f'<th scope="col">{escape(c.label)}</th>' for c in shown)
            self.opening = (
                # Scrolls sideways on a narrow screen: focusable, so a keyboard can scroll it.
                f'<div class="jsg-scroll" tabindex="0" role="region" aria-label="{escape(caption)}">'
                f'<table class="jsg-records"><caption>{escape(caption)}</caption>'
                f"<thead><tr>{labels}</tr></thead><tbody>"
            )

    @staticmethod
    def _groups(
        shown: list[Column], category_labels: Mapping[str, str]
    ) -> list[tuple[int, int, str]]:
        """(start, end, opening HTML) of each category's columns, if there are several."""
        if len({c.category for c in shown}) < 2:
            return []
        groups: list[tuple[int, int, str]] = []
        start = 0
        for index in range(1, len(shown) + 1):
            if index == len(shown) or shown[index].category != shown[start].category:
                label = category_labels.get(shown[start].category, shown[start].category)
                opening = f'<tbody><tr><th colspan="2" scope="rowgroup">{escape(label)}</th></tr>'
                groups.append((start, index, opening))
                start = index
        return groups

    def add(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Write ``records`` (already redacted: a withheld value shows as withheld)."""
        records = list(records)
        names = [self.title[0], *self.names] if self.title is not None else self.names
        columns = [[record.get(name) for record in records] for name in names]
        self.add_columns(columns, records, count=len(records))

    def add_columns(
        self,
        columns: Sequence[Sequence[Any]],
        records: Sequence[Mapping[str, Any]] | None = None,
        *,
        count: int,
    ) -> None:
        """Write ``count`` records given their values a column at a time: ``columns`` holds one
        sequence per column, in the order of the columns. ``records``, the same records one
        mapping each, are needed only where :attr:`needs_records` (an amount whose currency is
        another field of the record).

        Each column's values are turned into HTML by one choice of function, and a row's cells
        are joined in one call.
        """
        if not count:
            return
        handle = self.handle
        if handle is None:
            handle = self.handle = self.path.open("w", encoding="utf-8")
            handle.write(self.opening)
        first = self.count
        self.count += count
        shown = [
            self._column(j, column, records) for j, column in enumerate(columns[self.offset :])
        ]
        if not self.wide:
            cells = [["" if v is None else v for v in c] if None in c else c for c in shown]
            joined = (ROW_END + "<tr><td>").join(map("</td><td>".join, zip(*cells, strict=True)))
            handle.write("<tr><td>" + joined + ROW_END)
            return
        parts = [
            [head + value + ROW_END if value else "" for value in column]
            for head, column in zip(self.heads, shown, strict=True)
        ]
        if self.groups:
            grouped = [
                (opening, list(map("".join, zip(*parts[start:end], strict=True))))
                for start, end, opening in self.groups
            ]
            bodies: Iterable[str] = (
                # a category's heading only above a value it holds
                "".join(opening + held[k] + "</tbody>" for opening, held in grouped if held[k])
                for k in range(count)
            )
        else:
            bodies = map("".join, zip(*parts, strict=True))
        titles = self._titles(records, columns[0] if self.title is not None else None, first, count)
        handle.write(
            "".join(
                f'<table class="jsg-record"><caption>{title}</caption>{body}</table>'
                for title, body in zip(titles, bodies, strict=True)
            )
        )

    def _column(
        self, index: int, values: Sequence[Any], records: Sequence[Mapping[str, Any]] | None
    ) -> Sequence[Any]:
        """Column ``index``'s values as HTML; ``None`` or ``""`` for an empty one."""
        cell = self.cells[index]
        if self.withholdable[index] and REDACTED in values:
            values = [WITHHELD if value == REDACTED else value for value in values]
        elif cell is None:
            try:  # plain text with nothing to escape (most columns): shown as it is
                joined = "".join(values)
            except TypeError:  # a None, or a value that is not text
                pass
            else:
                if not ("&" in joined or "<" in joined or ">" in joined):
                    return values
        withheld = self.withheld
        if cell is None:
            return [
                None
                if value is None or value == "" or value == []
                else withheld
                if value is WITHHELD
                else text(value if type(value) is str else str(value))
                for value in values
            ]
        return [
            None
            if value is None or value == "" or value == []
            else withheld
            if value is WITHHELD
            else cell(value, record)
            for value, record in zip(
                values, repeat(None) if records is None else records, strict=False
            )
        ]

    def _titles(
        self,
        records: Sequence[Mapping[str, Any]] | None,
        values: Sequence[Any] | None,
        first: int,
        count: int,
    ) -> list[str]:
        """Each record's caption: the singular and its title column's value, or its number."""
        singular = self.singular
        if self.title is None or values is None:
            return [f"{singular} {n}" for n in range(first + 1, first + count + 1)]
        cell = self.title[1]
        return [
            f"{singular} {(cell(value, record) if cell else text(str(value)))}"
            if value
            else f"{singular} {n}"
            for n, (record, value) in enumerate(
                zip(repeat(None) if records is None else records, values, strict=False), first + 1
            )
        ]

    def close(self) -> None:
        if self.handle is None:
            return
        if not self.wide:
            self.handle.write("</tbody></table></div>")
        self.handle.close()
