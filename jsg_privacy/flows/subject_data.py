"""Find one subject's rows in every declared source, in batches, and turn them into plain values."""

from __future__ import annotations

import datetime
import decimal
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI
from django.utils.dateparse import parse_datetime

from jsg_privacy.crypto import keys
from jsg_privacy.crypto.fields import DecryptionError, is_encrypted
from jsg_privacy.inventory import ACCOUNT
from jsg_privacy.registry import (
    ModelSource,
    RemoteSource,
    Source,
    SourceUnavailable,
    Subject,
    registry,
)
from jsg_privacy.registry.paths import resolve_field

REDACTED = "[redacted: another person's data]"
CHUNK = 2000


PLAIN_TYPES = frozenset({str, int, float, bool})


def plain(value: Any) -> Any:
    """A JSON- and CSV-friendly value."""
    if value is None or type(value) in PLAIN_TYPES:
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


#: Sources exported in their own section of the export rather than among the records.
OWN_SECTIONS = frozenset({"jsg_privacy.Disclosure"})


def sources() -> list[Source]:
    return [source for key, source in registry.sources.items() if key not in OWN_SECTIONS]


def export_fields(source: ModelSource) -> tuple[list[str], list[str]]:
    """(plain fields, many-to-many fields) of a model source's export."""
    simple: list[str] = []
    many: list[str] = []
    for name in source.export_fields():
        field = resolve_field(source.model, name)
        (many if field.many_to_many else simple).append(name)
    return simple, many


@dataclass
class Chunk:
    """Up to :data:`CHUNK` of a source's records: ``columns`` holds one sequence of the records'
    values per export field, in the source's order (:func:`columns`), as the CSV and
    ``index.html`` show them; :attr:`records` are the same records as ``data.json`` holds them,
    one mapping each (``keys`` in their order, found at ``positions`` among the columns), made
    only when asked for. A remote source's chunk holds the records it gave (``given``)."""

    count: int
    columns: list[Sequence[Any]]
    keys: list[str]
    positions: list[int]
    given: list[dict[str, Any]] | None = None
    #: The records are a remote source's, as it gave them (keys of its choosing).
    remote: bool = False

    @property
    def records(self) -> list[dict[str, Any]]:
        if self.given is None:
            picked = [self.columns[p] for p in self.positions]
            self.given = (
                [dict(zip(self.keys, row, strict=True)) for row in zip(*picked, strict=True)]
                if picked
                else [{} for _ in range(self.count)]
            )
        return self.given


def model_chunks(source: ModelSource, subject: Subject) -> Iterator[Chunk]:
    """The subject's rows of one model, a chunk at a time: one query for the rows, one per
    many-to-many field.

    Streams: rows come from a server-side cursor (where the database has one) a chunk at a time,
    never a whole table in memory. Each chunk is turned into plain values a column at a time: one
    choice of conversion per column, not a chain of type tests per value.
    """
    simple, many = export_fields(source)
    rows = source.rows_for(subject).order_by("pk")
    related = {name: _many_labels(rows, source, name) for name in many}
    redact = [i for i, name in enumerate(simple) if name in source.redact]
    # The subject's own details in the same record: a redacted field holding one of them (the
    # customer is their own site contact) is the subject's data, not another person's.
    own = _own_detail_fields(source)
    own_fields = [i for i, name in enumerate(simple) if name in own]
    fields = [resolve_field(source.model, name) for name in simple]
    # Encrypted columns come out as their tokens (no per-value converter) and are decrypted a
    # column at a time, with one look-up of the keys.
    encrypted = [i for i, field in enumerate(fields) if is_encrypted(field)]
    connection = connections[rows.db]
    # SQLite's date-times, too, as their text: sqlite3 would parse each into a datetime that
    # Django then makes aware and the export formats back into text.
    texted = [i for i, field in enumerate(fields) if _sqlite_datetime(field, connection)]
    raw = {
        f"_jsg_raw_{i}": Cast(simple[i], output_field=models.TextField())
        for i in (*encrypted, *texted)
    }
    selected = [
        f"_jsg_raw_{i}" if f"_jsg_raw_{i}" in raw else name for i, name in enumerate(simple)
    ]
    query = rows.annotate(**raw).values_list("pk", *selected).query
    compiler = query.get_compiler(using=rows.db)
    batches = compiler.execute_sql(
        MULTI,
        # As QuerySet.iterator(): a server-side cursor unless the database turns them off (a
        # pooler in transaction mode, DISABLE_SERVER_SIDE_CURSORS).
        chunked_fetch=not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"),
        chunk_size=CHUNK,
    )
    converters = [(i, _datetime_text(connection)) for i in texted]
    converters += _converters(compiler, fields, (*encrypted, *texted), connection)
    names = simple + many
    order = [names.index(name) for name in source.export_fields()]
    positions = [order.index(i) for i in range(len(names))]  # each key's column, in export order
    for batch in _rechunked(batches):
        values = list(zip(*batch, strict=True))  # a column per field, the primary key first
        columns_: list[Any] = values[1:]
        for i in encrypted:
            columns_[i] = _decrypt_column(source, simple[i], columns_[i])
        for i, convert in converters:
            whole = getattr(convert, "column", None)
            columns_[i] = (
                whole(columns_[i])
                if whole is not None
                else [None if value is None else convert(value) for value in columns_[i]]
            )
        for name in many:
            mapping = related[name]
            columns_.append([mapping.get(pk, []) for pk in values[0]])
        if redact:
            _redact(subject, columns_, redact, own_fields)
        yield Chunk(
            count=len(batch),
            columns=[columns_[k] for k in order],
            keys=names,
            positions=positions,
        )


def _rechunked(batches: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """The database's batches, as :data:`CHUNK` rows each (the last fewer)."""
    pending: list[Any] = []
    for batch in batches:
        pending.extend(batch)
        while len(pending) >= CHUNK:
            yield pending[:CHUNK]
            del pending[:CHUNK]
    if pending:
        yield pending


def _many_labels(
    rows: models.QuerySet[Any], source: ModelSource, name: str
) -> dict[Any, list[str]]:
    """Per row's primary key, the labels of what its many-to-many field ``name`` points to."""
    through = rows.values_list("pk", f"{name}__pk")
    target = resolve_field(source.model, name).related_model
    labels = {
        obj.pk: str(obj)
        for obj in (
            target._default_manager.filter(pk__in=through.values(f"{name}__pk"))
            if target is not None  # always, for a many-to-many field
            else ()
        )
    }
    mapping: dict[Any, list[str]] = {}
    for pk, other in through.iterator(chunk_size=CHUNK):
        if other is not None:
            mapping.setdefault(pk, []).append(labels.get(other, str(other)))
    return mapping


def _converters(
    compiler: Any, fields: list[Any], skip: Iterable[int], connection: Any
) -> list[tuple[int, Callable[[Any], Any]]]:
    """Per column (by its index among ``fields``, but for those in ``skip``), the one function
    that makes its non-None values plain: Django's own converters for the column (a field's
    ``from_db_value``, the database's), then :func:`plain`."""
    select = [expression for expression, _sql, _alias in compiler.select[: compiler.col_count]]
    django_converters = compiler.get_converters(select)
    skipped = set(skip)
    found = []
    for i, field in enumerate(fields):
        if i in skipped:
            continue
        chain, expression = django_converters.get(i + 1, ([], None))  # the primary key is 0
        if chain:
            fast = _sqlite_decimal(field, connection)
            slow = _chained(chain, expression, connection, _converter(field))
            found.append((i, slow if fast is None else fast(slow)))
        elif not isinstance(field, ALREADY_PLAIN):
            found.append((i, _converter(field)))
    return found


def _chained(
    chain: list[Any], expression: Any, connection: Any, last: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """Django's converters of a column, then ``last``, as one function of a non-None value."""

    def convert(value: Any) -> Any:
        for converter in chain:
            value = converter(value, expression, connection)
        return None if value is None else last(value)

    return convert


def _sqlite_datetime(field: Any, connection: Any) -> bool:
    """Whether the field is a plain ``DateTimeField`` on SQLite, read as its stored text."""
    return (
        connection.vendor == "sqlite"
        and isinstance(field, models.DateTimeField)
        and not hasattr(field, "from_db_value")
    )


def _datetime_text(connection: Any) -> Callable[[Any], Any]:
    """The ISO form of a date-time SQLite holds as text. Django writes ``2026-03-04 10:30:00``
    (with ``.123456`` when there are microseconds) in UTC: the ISO form is the same text with a
    ``T`` and, with ``USE_TZ``, ``+00:00``. Any other text is parsed as Django would."""
    suffix = "+00:00" if settings.USE_TZ else ""

    def convert(value: Any) -> Any:
        if (
            type(value) is str
            and (len(value) == 19 or (len(value) == 26 and value[19:] != ".000000"))
            and value[4] == "-"
            and value[10] == " "
            and value[13] == ":"
        ):
            return f"{value[:10]}T{value[11:]}{suffix}"
        parsed = parse_datetime(str(value))
        if parsed is None:  # not a date-time at all: shown as it is stored
            return value
        return connection.ops.convert_datetimefield_value(parsed, None, connection).isoformat()

    return convert


def _sqlite_decimal(
    field: Any, connection: Any
) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]] | None:
    """For a plain ``DecimalField`` on SQLite, a converter of the float or int it returns straight
    to text with the field's decimal places, as Django's quantized ``Decimal`` prints (else
    ``slow``, Django's converters then :func:`plain`). Django stores a decimal already rounded to
    its places, so with at most 15 digits the float is the nearest to it and prints back the same.
    """
    if (
        connection.vendor != "sqlite"
        or not isinstance(field, models.DecimalField)
        or hasattr(field, "from_db_value")
        or field.max_digits is None
        or field.max_digits > 15
    ):
        return None
    places = f".{field.decimal_places}f"
    return lambda slow: _Decimals(places, slow)


class _Decimals:
    """SQLite's stored number of a decimal column as text with its places (see
    :func:`_sqlite_decimal`), a value or a whole column at a time."""

    def __init__(self, places: str, slow: Callable[[Any], Any]) -> None:
        self.places = places
        self.slow = slow

    def __call__(self, value: Any) -> Any:
        if type(value) is float or type(value) is int:
            return format(value, self.places)
        return self.slow(value)

    def column(self, values: Sequence[Any]) -> list[Any]:
        if None not in values:
            try:  # numbers, as SQLite returns them: formatted without a test per value
                return list(map(format, values, repeat(self.places)))
            except (TypeError, ValueError):  # text where a number was expected
                pass
        return [None if value is None else self(value) for value in values]


def _isoformat(value: Any) -> Any:
    return value.isoformat()


def _converter(field: Any) -> Any:
    """The function that makes a column's (non-None) values plain: one chosen per column, not a
    chain of type tests per value."""
    if isinstance(field, models.DateField | models.TimeField):  # DateTimeField is a DateField
        return _isoformat
    if isinstance(field, models.DecimalField | models.UUIDField):
        return str
    return plain


#: Fields whose values are already JSON- and CSV-friendly (str, int, bool or None).
ALREADY_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def _decrypt_column(source: ModelSource, name: str, values: Iterable[Any]) -> list[Any]:
    """A column's tokens decrypted, with one look-up of the keys; empty values stay as they are."""
    try:
        return keys.decrypt_many(values)
    except keys.InvalidToken:
        raise DecryptionError(
            f"A value of {source.model._meta.label}.{name} cannot be decrypted with any key in "
            "JSG_PRIVACY_ENCRYPTION_KEYS: was a key removed before privacy_rotate_keys ran?"
        ) from None


def _redact(subject: Subject, columns: list[Any], redact: list[int], own_fields: list[int]) -> None:
    """Replace the values of the columns at ``redact`` by :data:`REDACTED`, unless a value is the
    subject's own: the same as their e-mail address or one of the same record's own account
    details (the columns at ``own_fields``; compared as typed first, then in any case and
    spacing)."""
    for index in redact:
        columns[index] = list(columns[index])
    for k in range(len(columns[redact[0]])):
        mine: list[Any] | None = None
        own: frozenset[str] | None = None
        for index in redact:
            value = columns[index][k]
            if value == "" or value is None:
                continue
            if mine is None:
                mine = [columns[i][k] for i in own_fields]
                mine.append(subject.email)
            if value in mine:
                continue
            if own is None:
                own = own_values(subject, mine)
            if _normalised(value) not in own:
                columns[index][k] = REDACTED


def _own_detail_fields(source: ModelSource) -> set[str]:
    """The fields that hold the subject's own details: the source's account-category fields."""
    return set(source.fields_in(ACCOUNT)) - set(source.redact)


_NOT_DIGITS = re.compile(r"[\s()./-]")


def _normalised(value: Any) -> str:
    """A value as compared with the subject's own: any case and spacing; a phone number by its
    digits, with +44 read as the leading 0 of a UK number."""
    text = " ".join(str(value).split()).casefold()
    digits = _NOT_DIGITS.sub("", text)
    if digits[:1] == "+" and digits[1:].isdigit():
        digits = "0" + digits[3:] if digits.startswith("+44") else digits
        return digits
    if digits.isdigit() and len(digits) >= 6:
        return "0" + digits[2:] if digits.startswith("44") and len(digits) > 11 else digits
    return text


def own_values(subject: Subject, values: Iterable[Any]) -> frozenset[str]:
    """The subject's own details (their e-mail address, and the account details of the record
    being exported), as :func:`_normalised` compares them."""
    found = {_normalised(value) for value in values if value not in ("", None)}
    if subject.email:
        found.add(_normalised(subject.email))
    return frozenset(found)


def chunks(source: Source, subject: Subject) -> Iterator[Chunk]:
    """The subject's records in ``source``, a :class:`Chunk` at a time."""
    if isinstance(source, ModelSource):
        yield from model_chunks(source, subject)
        return
    if not isinstance(source, RemoteSource):
        raise TypeError(f"{source!r} is neither a ModelSource nor a RemoteSource.")
    names = columns(source)
    records: list[dict[str, Any]] = []
    try:
        for record in source.export(subject):
            records.append({name: plain(value) for name, value in record.items()})
            if len(records) == CHUNK:
                yield _given(records, names)
                records = []
    except SourceUnavailable:  # what came before the failure is delivered, then the failure
        if records:
            yield _given(records, names)
        raise
    if records:
        yield _given(records, names)


def _given(records: list[dict[str, Any]], names: list[str]) -> Chunk:
    """A remote source's records as a chunk: its columns are the export fields' values."""
    columns_: list[Sequence[Any]] = [[r.get(name) for r in records] for name in names]
    return Chunk(
        count=len(records), columns=columns_, keys=[], positions=[], given=records, remote=True
    )


def found_only_by_address(user_id: Any, email: str) -> dict[str, int]:
    """Per model source, the rows found through ``email`` but not through the account ``user_id``:
    what an account's requests leave out until its address is proven."""
    counts: dict[str, int] = {}
    if not email:
        return counts
    for source in registry.model_sources():
        if not source.subject_email:
            continue
        rows = source.rows_for(Subject(email=email))
        if user_id is not None and source.subject_path:
            rows = rows.exclude(source.subject_filter(Subject(user_id=user_id)))
        if count := rows.count():
            counts[str(source.name)] = count
    return counts


def columns(source: Source) -> list[str]:
    return list(source.export_fields())
