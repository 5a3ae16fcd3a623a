"""Rewrite the stored values of encrypted columns in batches: encrypt, decrypt, rotate, rehash.

Works on raw column values through the connection (never the model's converters), one transaction
per batch in primary-key order, so a run that stops half-way leaves every row either done or not
touched, and the next run completes it. Used by :mod:`jsg_privacy.crypto.operations` (migrations)
and ``manage.py privacy_rotate_keys``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connections, models, router, transaction

from jsg_privacy.crypto import keys
from jsg_privacy.crypto.fields import digest, digest_fields, encrypted_fields

if TYPE_CHECKING:
    from jsg_privacy.registry.paths import AnyField

BATCH = 500

#: How one value changes: ``value -> new value``; raise ``keys.InvalidToken`` for an unreadable one.
Transform = Callable[[str], str]


@dataclass
class Outcome:
    rows: int = 0
    changed: int = 0
    #: Primary keys of rows holding a value no configured key decrypts (values are never shown).
    unreadable: list[Any] = field(default_factory=list)


def encrypt_plain(value: str) -> str:
    """Encrypt a value still in clear; leave a token as it is (so reruns change nothing)."""
    try:
        keys.decrypt(value)
    except keys.InvalidToken:
        return keys.encrypt(value)
    return value


def decrypt_token(value: str) -> str:
    """Decrypt a token; leave a value in clear as it is."""
    try:
        return keys.decrypt(value)
    except keys.InvalidToken:
        return value


def rewrite(
    model: type[models.Model],
    transform: Transform | None,
    *,
    fields: list[str] | None = None,
    rehash: bool = False,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Apply ``transform`` to every non-empty value of ``model``'s encrypted ``fields``.

    With ``rehash``, the model's keyed-hash columns are recomputed from the (decrypted) values they
    hash. ``model`` may be a historical model inside a migration.
    """
    opts = model._meta
    chosen = [opts.get_field(name) for name in fields] if fields else encrypted_fields(model)
    columns = [_column(f) for f in chosen]
    # digest column -> (the column it hashes, the digest's kind)
    sources = {
        _column(d): (_column(opts.get_field(d.source)), d.kind)
        for d in (digest_fields(model) if rehash else ())
    }
    needed = list(dict.fromkeys([*columns, *(column for column, _ in sources.values())]))
    if not needed:
        return Outcome()
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    pk = _column(opts.pk)
    # Identifiers come from the model and are quoted by the backend; values are parameters.
    select = f"SELECT {quote(pk)}, {', '.join(map(quote, needed))} FROM {quote(opts.db_table)} "  # noqa: S608
    order = f"ORDER BY {quote(pk)} LIMIT {int(batch)}"
    written = [*columns, *sources]
    update = (
        f"UPDATE {quote(opts.db_table)} SET "  # noqa: S608
        f"{', '.join(f'{quote(c)} = %s' for c in written)} WHERE {quote(pk)} = %s"
    )
    outcome, last = Outcome(), None
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if last is None:
                cursor.execute(select + order)
            else:
                cursor.execute(f"{select}WHERE {quote(pk)} > %s {order}", [last])
            rows = cursor.fetchall()
            changes = []
            for row in rows:
                current = dict(zip(needed, row[1:], strict=True))
                new = _row(current, columns, sources, transform, outcome, row[0])
                if new is not None:
                    changes.append([new[c] for c in written] + [row[0]])
            if changes:
                cursor.executemany(update, changes)
        if not rows:
            return outcome
        outcome.rows += len(rows)
        outcome.changed += len(changes)
        last = rows[-1][0]
        if progress:
            progress(outcome.rows)


def _column(field: AnyField | None) -> str:
    """The column of a concrete field: an encrypted field, a keyed hash, its source, the key."""
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{field!r} is not a field with a column of its own.")
    return field.column


def _row(
    current: dict[str, Any],
    columns: list[str],
    sources: dict[str, tuple[str, str]],
    transform: Transform | None,
    outcome: Outcome,
    pk: Any,
) -> dict[str, Any] | None:
    """The row's new values, or ``None`` when nothing changes (or the row cannot be read)."""
    new = dict(current)
    try:
        for column in columns:
            if current[column] and transform is not None:
                new[column] = transform(current[column])
        for column, (hashed, kind) in sources.items():
            value = current[hashed]
            new[column] = digest(kind, decrypt_token(value) if value else value)
    except keys.InvalidToken:
        outcome.unreadable.append(pk)
        return None
    return new if new != current else None
