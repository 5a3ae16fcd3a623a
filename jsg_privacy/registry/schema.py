"""Can erasure and retention be carried out on the database as it is? Checked before they run.

A declaration that erasure cannot carry out must fail ``manage.py check``, not a customer's
erasure with an ``IntegrityError``:

- E021: anonymising would break the schema — a required (NOT NULL) column or link set to NULL, a
  unique column given the same value on two rows, a replacement too long for its column — or
  deleting rows is refused by another table's ``on_delete=PROTECT``/``RESTRICT`` link.
- E022: rows under a legal hold would be deleted by a cascade: their link to a row that erasure or
  retention deletes has ``on_delete=CASCADE``.
- E023: anonymising one source cuts the path another source needs (its subject, or the anchor of
  its retention rule), so the other source's rows could never be found or never become due.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.checks import Error
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from jsg_privacy.registry import anonymisers
from jsg_privacy.registry.core import Registry
from jsg_privacy.registry.paths import PathError, json_key, resolve_field
from jsg_privacy.registry.rules import Action, Anonymise, Delete, LegalHold
from jsg_privacy.registry.sources import ModelSource

PROTECTING = (models.PROTECT, models.RESTRICT)


def _error(code: int, msg: str, hint: str, obj: Any) -> Error:
    return Error(msg, hint=hint, obj=obj, id=f"jsg_privacy.E{code:03d}")


@dataclass(frozen=True)
class Change:
    """One field an anonymisation changes: when (``stage``), to what (``anonymiser``)."""

    name: str
    field: models.Field[Any, Any]
    anonymiser: Any
    stage: str


def anonymised(source: ModelSource) -> list[Change]:
    """Every model field of ``source`` that erasure or retention may anonymise, and how."""
    erasure = source.erasure
    stages: list[tuple[str, Anonymise, tuple[str, ...]]] = []
    if isinstance(erasure, Anonymise):
        stages.append(("erasure", erasure, ()))
    elif isinstance(erasure, LegalHold):
        then = erasure.then if isinstance(erasure.then, Anonymise) else Anonymise()
        stages.append(("erasure (under the legal hold)", then, erasure.keep))
        if isinstance(erasure.then, Anonymise):
            stages.append(("the end of the legal hold", erasure.then, ()))
    rule = source.retention
    if rule is not None and rule.action == Action.ANONYMISE:
        final = erasure.then if isinstance(erasure, LegalHold) else erasure
        stages.append(("retention", final if isinstance(final, Anonymise) else Anonymise(), ()))
    changes = []
    for stage, anonymise, keep in stages:
        for name in source.personal_fields():
            if name in keep or "__" in name:
                continue  # JSON keys are changed inside their field; paths belong to other rows
            try:
                field = resolve_field(source.model, name)
            except PathError:
                continue  # reported by E004
            if not isinstance(field, models.Field):
                continue  # a relation from another model: reported by E004
            if field.many_to_many or json_key(source.model, name) is not None:
                continue
            changes.append(Change(name, field, anonymise.anonymiser_for(field), stage))
    return changes


def deletes(source: ModelSource) -> bool:
    """Whether erasure or retention deletes rows of ``source``."""
    erasure = source.erasure
    final = erasure.then if isinstance(erasure, LegalHold) else erasure
    rule_deletes = source.retention is not None and source.retention.action == Action.DELETE
    return isinstance(final, Delete) or rule_deletes


def check_erasure_against_schema(registry: Registry) -> Iterator[Error]:
    sources = list(registry.model_sources())
    for source in sources:
        yield from _anonymisable(source)
        yield from _deletable(registry, source)
        yield from _holds_survive_cascades(registry, source)
        yield from _paths_survive_anonymisation(registry, source)


def _name(anonymiser: Any) -> str:
    return getattr(anonymiser, "__name__", repr(anonymiser))


def _anonymisable(source: ModelSource) -> Iterator[Error]:
    """E021: each anonymised value fits its column."""
    seen: set[tuple[str, str]] = set()
    for change in anonymised(source):
        field, fn = change.field, change.anonymiser
        where = f"{source.key}.{change.name}"
        problem = hint = ""
        if fn is anonymisers.null and not field.null:
            kind = "a required link" if field.is_relation else "NOT NULL"
            problem = f"is {kind}, but {change.stage} would set it to NULL"
            hint = (
                "Keep the link (anonymisers.keep: a link to a product or an order is not personal "
                "once the rest is anonymised) and move it to not_personal, make the field "
                "null=True, or delete the rows instead."
                if field.is_relation
                else "Give it an anonymiser that answers a value (anonymisers.blank, "
                "anonymisers.redact, anonymisers.fixed(...)), or make the field null=True."
            )
        elif (
            fn is anonymisers.redact
            and field.max_length is not None
            and field.max_length < len(anonymisers.ERASED)
        ):
            problem = (
                f'holds at most {field.max_length} characters: "{anonymisers.ERASED}" does not fit'
            )
            hint = "Use anonymisers.blank or a shorter anonymisers.fixed(...) value."
        elif (
            field.unique
            and not field.primary_key
            and _name(fn) not in anonymisers.UNIQUE_SAFE
            and not (fn is anonymisers.null and field.null)
        ):
            problem = (
                f"is unique, but {change.stage} would give every row the same value ({_name(fn)})"
            )
            hint = (
                "Use anonymisers.unique_erased (text), anonymisers.erased_email, "
                "anonymisers.new_uuid or anonymisers.null (with null=True), or delete the rows."
            )
        if problem and (where, problem) not in seen:
            seen.add((where, problem))
            yield _error(21, f"{where} {problem}.", hint, source.model)
    yield from _unique_together(source)


def _unique_together(source: ModelSource) -> Iterator[Error]:
    """E021: a multi-column unique constraint whose columns all get one fixed value."""
    constant = {
        change.field.name
        for change in anonymised(source)
        if _name(change.anonymiser) not in anonymisers.UNIQUE_SAFE
        and change.anonymiser is not anonymisers.null
    }
    opts = source.model._meta
    groups = [tuple(group) for group in opts.unique_together]
    groups += [
        tuple(c.fields)
        for c in opts.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None
    ]
    for group in groups:
        if len(group) > 1 and set(group) <= constant:
            yield _error(
                21,
                f"{source.key} is unique on ({', '.join(group)}), but anonymising gives every row "
                "the same values there.",
                "Give one of them a per-row anonymiser (anonymisers.unique_erased), or delete the "
                "rows instead.",
                source.model,
            )


def _sources_by_model(registry: Registry) -> dict[type[models.Model], ModelSource]:
    return {source.model: source for source in registry.model_sources()}


def _incoming(model: type[models.Model]) -> Iterator[models.ForeignObjectRel]:
    """Links from other tables to ``model`` (foreign keys and one-to-ones pointing at it)."""
    for rel in model._meta.related_objects:
        if rel.many_to_many:
            continue
        yield rel


def _deletable(registry: Registry, source: ModelSource) -> Iterator[Error]:
    """E021: another table refuses the deletion of this source's rows (PROTECT / RESTRICT).

    At erasure the protecting rows must be deleted in the same erasure (erasure deletes them
    first); at the end of a retention period the engine keeps protected rows until the protecting
    rows are deleted — so those must be deleted some day.
    """
    erased = isinstance(source.erasure, Delete)
    if not (erased or deletes(source)):
        return
    by_model = _sources_by_model(registry)
    for rel in _incoming(source.model):
        if rel.on_delete not in PROTECTING:
            continue
        other = by_model.get(rel.related_model)
        label = f"{rel.related_model._meta.label}.{rel.field.name}"
        how = f"on_delete={rel.on_delete.__name__}"
        if erased and not (other is not None and isinstance(other.erasure, Delete)):
            yield _error(
                21,
                f"Erasure deletes {source.key} rows, but {label} protects them ({how}) and "
                "erasure does not delete those rows: erasing such a subject would fail.",
                f"Declare {rel.related_model._meta.label} with erasure = privacy.Delete(), change "
                "the link's on_delete, or anonymise the rows instead of deleting them.",
                source.model,
            )
        elif not erased and (other is None or not deletes(other)):
            yield _error(
                21,
                f"Retention deletes {source.key} rows, but {label} protects them ({how}) and "
                "those rows are never deleted: the protected rows would be kept for ever.",
                f"Declare {rel.related_model._meta.label} with a retention rule that deletes, or "
                "change the link's on_delete.",
                source.model,
            )


def protection_order(sources: list[ModelSource]) -> dict[str, int]:
    """A rank per source key: rows of a lower rank protect rows of a higher one, so erasure
    deletes them first."""
    models_ = {source.model: source.key for source in sources}
    ranks: dict[str, int] = {}

    def rank(model: type[models.Model], depth: int = 0) -> int:
        key = models_[model]
        if key not in ranks:
            protectors = [
                rel.related_model
                for rel in _incoming(model)
                if rel.on_delete in PROTECTING
                and rel.related_model in models_
                and rel.related_model is not model
            ]
            ranks[key] = (
                0
                if not protectors or depth > len(models_)
                else 1 + max(rank(p, depth + 1) for p in protectors)
            )
        return ranks[key]

    for model in models_:
        rank(model)
    return ranks


def _holds_survive_cascades(registry: Registry, source: ModelSource) -> Iterator[Error]:
    """E022: a held row's link to a row that is deleted has on_delete=CASCADE."""
    if not isinstance(source.erasure, LegalHold):
        return
    by_model = _sources_by_model(registry)
    for field in source.model._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one) or field.related_model is None:
            continue
        if field.remote_field is None or field.remote_field.on_delete is not models.CASCADE:
            continue
        parent = by_model.get(field.related_model)
        if parent is None or not deletes(parent) or _deleted_after(source, field.name, parent):
            continue
        yield _error(
            22,
            f"{source.key} rows are kept under a legal hold ({source.erasure.reason}), but their "
            f"link {field.name} to {parent.key} has on_delete=CASCADE, and {parent.key} rows are "
            "deleted by erasure or retention: the held rows would be deleted with them.",
            f"Make {source.key}.{field.name} null=True with on_delete=SET_NULL (or PROTECT and "
            f"anonymise {parent.key} instead of deleting it).",
            source.model,
        )


def _deleted_after(child: ModelSource, link: str, parent: ModelSource) -> bool:
    """The parent's rows are deleted no earlier than the child's hold ends: both holds run from
    the parent's date (an order line held "7 years after order__invoiced_at" with its order)."""
    hold, parent_erasure = child.erasure, parent.erasure
    if not (isinstance(hold, LegalHold) and isinstance(parent_erasure, LegalHold)):
        return False
    if hold.anchor != f"{link}__{parent_erasure.anchor}":
        return False
    measure = date(2001, 1, 1)
    rule = parent.retention
    parent_goes = parent_erasure.period.after(measure)
    if rule is not None and rule.action == Action.DELETE and rule.anchor == parent_erasure.anchor:
        parent_goes = min(parent_goes, rule.period.after(measure))
    return hold.period.after(measure) <= parent_goes


def _paths_survive_anonymisation(registry: Registry, source: ModelSource) -> Iterator[Error]:
    """E023: another source's anonymisation clears a link this source's paths go through."""
    by_model = _sources_by_model(registry)
    paths = [("subject", source.subject_path), ("subject_email", source.subject_email)]
    if source.retention is not None:
        paths.append(("retention anchor", source.retention.anchor))
    if isinstance(source.erasure, LegalHold):
        paths.append(("legal hold anchor", source.erasure.anchor))
    for what, path in paths:
        if not path or path == "self" or "__" not in path:
            continue
        for owner, link in _links_on(source.model, path):
            other = by_model.get(owner)
            if other is None or other is source:
                continue
            cleared = {
                c.field.name for c in anonymised(other) if c.anonymiser is not anonymisers.keep
            }
            if link in cleared:
                yield _error(
                    23,
                    f"{source.key}'s {what} {path!r} goes through {owner._meta.label}.{link}, "
                    f"which anonymising {other.key} clears: {source.key} rows would then never "
                    "be found or never become due.",
                    f"Keep {owner._meta.label}.{link} when anonymising (anonymisers.keep, and "
                    f"list it in not_personal), or anchor {source.key}'s rule on a date of its own.",
                    source.model,
                )


def _links_on(model: type[models.Model], path: str) -> Iterator[tuple[type[models.Model], str]]:
    """(model holding the link column, column name) for each link a path follows."""
    current = model
    for name in path.split("__")[:-1]:
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist:  # a wrong path is reported by E004
            return
        if not field.is_relation or field.related_model is None:
            return
        if field.concrete:  # a forward link: the column is on this side
            yield current, field.name
        elif isinstance(field, models.ForeignObjectRel) and not field.many_to_many:
            # a reverse link: the column is on the other side
            yield field.related_model, field.field.name
        current = field.related_model
