"""Erase one subject's data (Art. 17) as each source declares: delete, anonymise, or legal hold.

:func:`plan` shows staff what will happen before they confirm; :func:`erase` does it in one
transaction (all sources or none) and is idempotent: erased rows no longer match the subject, so a
second run changes nothing. Rows under a legal hold keep the fields the law needs (``keep``) until
the hold ends — the retention engine finishes them then — and lose every other personal field now.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from jsg_privacy.crypto.fields import refresh_digests
from jsg_privacy.registry import (
    Anonymise,
    Delete,
    LegalHold,
    ModelSource,
    RemoteSource,
    Source,
    Subject,
    anonymisers,
    registry,
)
from jsg_privacy.registry.paths import JsonKey, json_key, resolve_field
from jsg_privacy.registry.schema import protection_order

BATCH = 500


@dataclass
class Step:
    """What erasure does (or did) to one source's rows."""

    source: str
    label: str
    rows: int = 0
    deleted: int = 0
    anonymised: int = 0
    held: int = 0
    held_until: str = ""
    reason: str = ""
    kept_fields: list[str] = field(default_factory=list)
    #: False for another system's records that it cannot count beforehand (``rows`` is then 0 and
    #: ``reason`` says what erasure does to them).
    counted: bool = True

    @property
    def action(self) -> str:
        parts = []
        if self.deleted:
            parts.append(f"delete {self.deleted}")
        if self.anonymised:
            parts.append(f"anonymise {self.anonymised}")
        if self.held:
            parts.append(f"keep {self.held} until {self.held_until} ({self.reason})")
        return "; ".join(parts) or "nothing to do"


def _today() -> date:
    return timezone.localdate()


def _as_date(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _model_sources() -> Iterator[ModelSource]:
    return registry.model_sources()


def _row_action(source: ModelSource, row: models.Model) -> tuple[str, date | None]:
    """("delete" | "anonymise" | "hold", held until) for one row."""
    erasure = source.erasure
    if isinstance(erasure, LegalHold):
        until = _as_date(erasure.until(row))
        if until is not None and until > _today():
            return "hold", until
        erasure = erasure.then
    return ("delete" if isinstance(erasure, Delete) else "anonymise"), None


def plan(subject: Subject) -> list[Step]:
    """What erasing ``subject`` would do, per source, without changing anything."""
    steps = []
    for source in _model_sources():
        step = Step(source.key, str(source.name))
        for row in source.rows_for(subject).iterator(chunk_size=BATCH):
            _count(step, source, *_row_action(source, row))
        steps.append(step)
    for remote in registry.sources.values():
        if isinstance(remote, RemoteSource):
            steps.append(_remote_step(remote, remote.count(subject)))
    return steps


def _remote_step(source: Source, rows: int | None) -> Step:
    """What erasure does to another system's records (or a keyed table's): by its declared action."""
    step = Step(source.key, str(source.name), reason=source.erasure.describe())
    if rows is None:  # the system cannot count them beforehand: the reason says what happens
        step.counted = False
        return step
    step.rows = rows
    erasure = source.erasure
    if isinstance(erasure, LegalHold):
        step.held, step.reason, step.kept_fields = rows, str(erasure.reason), list(erasure.keep)
    elif isinstance(erasure, Delete):
        step.deleted = rows
    else:
        step.anonymised = rows
    return step


def _count(step: Step, source: ModelSource, action: str, until: date | None) -> None:
    step.rows += 1
    if action == "delete":
        step.deleted += 1
    elif action == "anonymise":
        step.anonymised += 1
    else:
        step.held += 1
        step.held_until = max(step.held_until, until.isoformat()) if until else step.held_until
        hold = source.erasure
        if isinstance(hold, LegalHold):
            step.reason, step.kept_fields = str(hold.reason), list(hold.keep)


def erase(subject: Subject) -> list[Step]:
    """Erase ``subject`` everywhere, in one transaction; return what was done per source."""
    steps: list[Step] = []
    with transaction.atomic():
        # Decide every row first: deleting the user would otherwise unlink rows found through it.
        decided = []
        for source in _model_sources():
            step = Step(source.key, str(source.name))
            found = list(source.rows_for(subject).select_for_update(of=("self",)))
            decided.append((source, step, [(row, *_row_action(source, row)) for row in found]))
            steps.append(step)
        # Deletions last, and rows that protect others (on_delete=PROTECT) before those.
        ranks = protection_order([source for source, _step, _rows in decided])
        order = sorted(decided, key=lambda d: (_deletes_last(d[2]), ranks[d[0].key]))
        for source, step, rows in order:
            for row, action, until in rows:
                _apply(source, row, action)
                _count(step, source, action, until)
        for remote in registry.sources.values():
            if isinstance(remote, RemoteSource):
                # Under a hold the records are kept: what is held is what was there.
                counted = remote.count(subject) if isinstance(remote.erasure, LegalHold) else None
                changed = remote.erase(subject)
                steps.append(_remote_step(remote, changed if counted is None else counted))
    return steps


def _deletes_last(rows: list[tuple[Any, str, Any]]) -> int:
    return int(any(action == "delete" for _, action, _ in rows))


def _apply(source: ModelSource, row: models.Model, action: str) -> None:
    if action == "delete":
        # Through the queryset: the row may already be gone through a cascade from another
        # source, and append-only models (the staff access log) refuse instance deletes.
        type(row)._default_manager.filter(pk=row.pk).delete()
        return
    erasure = source.erasure
    keep: tuple[str, ...] = ()
    if isinstance(erasure, LegalHold):
        keep = erasure.keep if action == "hold" else ()
        erasure = erasure.then
    if not isinstance(erasure, Anonymise):  # clearing what a hold does not keep, then deleting
        erasure = Anonymise()
    changed = anonymise_row(source, row, erasure, keep)
    if changed:
        row.save(update_fields=changed)


def anonymise_row(
    source: Source, row: models.Model, erasure: Anonymise, keep: tuple[str, ...] = ()
) -> list[str]:
    """Replace ``row``'s personal fields (but ``keep``) with ``erasure``'s anonymisers, unsaved.

    Returns the attribute names changed, for ``save(update_fields=...)`` or ``bulk_update``;
    many-to-many fields are cleared at once. Shared with the retention engine.
    """
    changed = []
    documents: dict[str, Any] = {}  # JSON fields whose declared keys change, by attname
    for name in source.personal_fields():
        if name in keep:
            continue
        key = json_key(type(row), name)
        if key is not None:
            if key.local:  # a key inside a JSON field of a related row is that row's source's
                _anonymise_key(row, key, erasure.anonymiser_for(None, name), documents)
            continue
        if "__" in name:
            continue  # a related row's field: that row's own source erases it
        model_field = resolve_field(type(row), name)
        if not isinstance(model_field, models.Field):
            continue  # a relation from another model, reported by check E004: not on this row
        if model_field.many_to_many:
            getattr(row, name).clear()
            continue
        setattr(
            row,
            model_field.attname,
            erasure.anonymiser_for(model_field)(row, getattr(row, model_field.attname)),
        )
        changed.append(model_field.attname)
    for attname, document in documents.items():
        if attname not in changed:  # the whole field was not anonymised already
            setattr(row, attname, document)
            changed.append(attname)
    # Keyed-hash lookup columns follow the values they hash (bulk_update skips pre_save), so
    # an anonymised row can no longer be found by the subject's e-mail address.
    return changed + refresh_digests(row, changed)


def _anonymise_key(
    row: models.Model, key: JsonKey, anonymiser: Any, documents: dict[str, Any]
) -> None:
    """Replace (or remove) one declared key of a JSON field in a copy of the field's value."""
    field = row._meta.get_field(key.field_path)
    if not isinstance(field, models.JSONField):
        return  # json_key() answers only paths into a JSON field
    if field.attname not in documents:
        documents[field.attname] = copy.deepcopy(getattr(row, field.attname))
    parent = documents[field.attname]
    for part in key.keys[:-1]:
        parent = parent.get(part) if isinstance(parent, dict) else None
    if not isinstance(parent, dict) or key.keys[-1] not in parent:
        return  # the key is not there: nothing to erase
    value = anonymiser(row, parent[key.keys[-1]])
    if value is anonymisers.DROP:
        del parent[key.keys[-1]]
    else:
        parent[key.keys[-1]] = value


def sources_changed(steps: list[Step]) -> list[Source]:
    keys = {step.source for step in steps if step.rows}
    return [source for key, source in registry.sources.items() if key in keys]
