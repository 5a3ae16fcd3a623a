"""Find one subject's rows in every declared source, in batches, and turn them into plain values."""

from __future__ import annotations

import datetime
import decimal
import itertools
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db import models
from django.db.models.functions import Cast

from jsg_privacy.crypto import keys
from jsg_privacy.crypto.fields import DecryptionError, is_encrypted
from jsg_privacy.inventory import ACCOUNT
from jsg_privacy.registry import ModelSource, RemoteSource, Source, Subject, registry
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


def model_rows(source: ModelSource, subject: Subject) -> Iterator[dict[str, Any]]:
    """The subject's rows of one model: one query for the rows, one per many-to-many field.

    Streams: rows come from a server-side cursor in chunks, never a whole table in memory.
    """
    simple, many = export_fields(source)
    rows = source.rows_for(subject).order_by("pk")
    related: dict[str, dict[Any, list[str]]] = {}
    for name in many:
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
        related[name] = mapping
    redact = [name for name in simple if name in source.redact]
    # The subject's own details in the same record: a redacted field holding one of them (the
    # customer is their own site contact) is the subject's data, not another person's.
    own_fields = [name for name in simple if name in _own_detail_fields(source)]
    fields = [resolve_field(source.model, name) for name in simple]
    # Encrypted columns come out as their tokens (no per-value converter) and are decrypted a
    # chunk at a time; columns that already hold plain values skip plain().
    encrypted = [i for i, field in enumerate(fields) if is_encrypted(field)]
    raw = {f"_jsg_raw_{i}": Cast(simple[i], output_field=models.TextField()) for i in encrypted}
    selected = [f"_jsg_raw_{i}" if i in encrypted else name for i, name in enumerate(simple)]
    converted = [
        (i + 1, _converter(field))
        for i, field in enumerate(fields)
        if i not in encrypted and not isinstance(field, ALREADY_PLAIN)
    ]
    values = rows.annotate(**raw).values_list("pk", *selected).iterator(chunk_size=CHUNK)
    while chunk := [list(row) for row in itertools.islice(values, CHUNK)]:
        for i in encrypted:
            _decrypt_column(source, simple[i], chunk, i + 1)
        for row in chunk:
            for i, convert in converted:
                value = row[i]
                if value is not None:
                    row[i] = convert(value)
            record = dict(zip(simple, row[1:], strict=True))
            if redact:
                _redact(source, subject, record, redact, own_fields)
            for name in many:
                record[name] = related[name].get(row[0], [])
            yield record


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


def _decrypt_column(source: ModelSource, name: str, chunk: list[list[Any]], index: int) -> None:
    """Decrypt column ``index`` of every row of ``chunk`` in place, with one look-up of the keys."""
    filled = [row for row in chunk if row[index] not in ("", None)]
    try:
        plain_values = keys.decrypt_many(row[index] for row in filled)
    except keys.InvalidToken:
        raise DecryptionError(
            f"A value of {source.model._meta.label}.{name} cannot be decrypted with any key in "
            "JSG_PRIVACY_ENCRYPTION_KEYS: was a key removed before privacy_rotate_keys ran?"
        ) from None
    for row, value in zip(filled, plain_values, strict=True):
        row[index] = value


def _redact(
    source: ModelSource,
    subject: Subject,
    record: dict[str, Any],
    redact: list[str],
    own_fields: list[str],
) -> None:
    """Replace the values of ``redact`` in ``record`` by :data:`REDACTED`, unless a value is the
    subject's own: the same as their e-mail address or one of the record's own account details
    (compared as typed first, then in any case and spacing)."""
    mine: list[Any] | None = None
    own: frozenset[str] | None = None
    for name in redact:
        value = record[name]
        if value == "" or value is None:
            continue
        if mine is None:
            mine = [record[field] for field in own_fields]
            mine.append(subject.email)
        if value in mine:
            continue
        if own is None:
            own = own_values(subject, mine)
        if _normalised(value) not in own:
            record[name] = REDACTED


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


def rows(source: Source, subject: Subject) -> Iterator[Mapping[str, Any]]:
    if isinstance(source, ModelSource):
        return model_rows(source, subject)
    if not isinstance(source, RemoteSource):
        raise TypeError(f"{source!r} is neither a ModelSource nor a RemoteSource.")
    return (
        {name: plain(value) for name, value in record.items()} for record in source.export(subject)
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
