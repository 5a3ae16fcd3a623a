"""What an admin page showed, for the staff access log: never a value, never a search term.

A change list's personal columns (:func:`listed_fields`), whose rows they were (:func:`subjects_of`,
keyed hashes only), where it was (:func:`describe_page`: the page, the kind of search term and the
names of the filters), and record ids that fit the log (:func:`join_ids`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest

from jsg_privacy.crypto import subjects
from jsg_privacy.registry import ModelSource, registry
from jsg_privacy.registry.paths import PathError, resolve_field

_NUMBER = re.compile(r"[\d\s()+.-]+")
#: How many characters of record ids an entry keeps (``StaffAccess.object_id``).
IDS_LENGTH = 255
#: How long a description of a page may be (``StaffAccess.context``).
CONTEXT_LENGTH = 200


def search_kind(term: str) -> str:
    """The kind of a search term, in words, so the log never holds the term (it may be an address)."""
    term = term.strip()
    if not term:
        return ""
    if "@" in term:
        return "e-mail address"
    if _NUMBER.fullmatch(term):
        return "number"
    return "text"


def listed_fields(
    model_admin: admin.ModelAdmin, request: HttpRequest, source: ModelSource
) -> list[str]:
    """The columns of a change list that show personal data.

    A declared personal field of the model; a path to one on a related declared model
    (``"user__email"``); or a link to a declared model, shown by its name (``"user"``).
    """
    personal = source.personal_fields()
    shown = []
    for entry in model_admin.get_list_display(request):
        name = entry if isinstance(entry, str) else getattr(entry, "__name__", "")
        if name in personal:
            shown.append(name)
            continue
        try:
            field = resolve_field(source.model, name)
        except (PathError, ValueError):
            continue  # a method or a callable column: not a declared field
        if field.is_relation and field.related_model is not None and "__" not in name:
            related = registry.source_for(field.related_model)
            if related is not None and related.personal_fields():
                shown.append(name)
            continue
        related = registry.source_for(field.model)
        if related is not None and field.name in related.personal_fields():
            shown.append(name)
    return shown


def _local(obj: models.Model, path: str) -> tuple[bool, Any]:
    """The value at a one-step ``path`` from what ``obj`` already holds (a link's id, not the row
    it links to); ``(False, None)`` if that needs a query."""
    if "__" in path:
        return False, None
    try:
        field = obj._meta.get_field(path)
    except FieldDoesNotExist:  # reported by the checks (E004); read it through the database
        return False, None
    attname = getattr(field, "attname", "")
    if not getattr(field, "column", None) or attname in obj.get_deferred_fields():
        return False, None  # a reverse or many-to-many relation, or a column not loaded
    return True, getattr(obj, attname)


def _rows(source: ModelSource, objects: list[models.Model]) -> list[tuple[Any, Any, Any]] | None:
    """``(pk, user id, e-mail)`` of each object from what it holds; ``None`` if a query is needed."""
    path, email = source.subject_path, source.subject_email
    found = []
    for obj in objects:
        user: Any = obj.pk if path == "self" else None
        address: Any = ""
        if path and path != "self":
            ok, user = _local(obj, path)
            if not ok:
                return None
        if email:
            ok, address = _local(obj, email)
            if not ok:
                return None
        found.append((obj.pk, user, address))
    return found


def _query(source: ModelSource, queryset: models.QuerySet) -> list[tuple[Any, Any, Any]]:
    """``(pk, user id, e-mail)`` of each row, in one query."""
    path, email = source.subject_path, source.subject_email
    linked = bool(path) and path != "self"
    names = ["pk", *([path] if linked else []), *([email] if email else [])]
    found = []
    for row in queryset.order_by().values_list(*names):
        pk, rest = row[0], list(row[1:])
        user = pk if path == "self" else (rest.pop(0) if linked else None)
        found.append((pk, user, rest.pop(0) if email else ""))
    return found


def subjects_of(
    source: ModelSource, rows: models.QuerySet | Iterable[models.Model]
) -> dict[str, list[str]]:
    """Whose rows these are: each person's key (their account's, else their address's) with the ids
    of their rows. Rows that belong to nobody identifiable are left out.

    Costs no query for rows that hold their subject's link and address themselves (an order's
    ``user`` and ``email``), one query otherwise (an order line's ``order__user``).
    """
    if isinstance(rows, models.QuerySet):
        found = _query(source, rows)
    else:
        objects = list(rows)
        local = _rows(source, objects)
        pks = [obj.pk for obj in objects]
        found = (
            local
            if local is not None
            else _query(source, source.model._base_manager.filter(pk__in=pks))
        )
    by_subject: dict[str, list[str]] = {}
    for pk, user, address in found:
        if user is not None:
            key = subjects.for_user(user)
        elif address:
            key = subjects.for_email(str(address))
        else:
            continue
        by_subject.setdefault(key, []).append(str(pk))
    return by_subject


def join_ids(ids: list[str]) -> str:
    """Record ids for ``StaffAccess.object_id``: all of them, or as many as fit and how many more."""
    text = ", ".join(ids)
    if len(text) <= IDS_LENGTH:
        return text
    kept: list[str] = []
    for position, pk in enumerate(ids):
        more = f" (+{len(ids) - position} more)"
        if len(", ".join([*kept, pk])) + len(more) > IDS_LENGTH:
            return ", ".join(kept) + more
        kept.append(pk)
    return text  # pragma: no cover - the loop always returns


def describe_page(changelist: Any) -> str:
    """Where a change list was: ``"search by e-mail address, page 2, filtered by status__exact"``.

    The kind of search term and the names of the filters, never their values.
    """
    kind = search_kind(changelist.query or "")
    parts = [f"search by {kind}" if kind else "list", f"page {changelist.page_num}"]
    filters = sorted(changelist.get_filters_params())
    if filters:
        parts.append("filtered by " + ", ".join(filters))
    return ", ".join(parts)[:CONTEXT_LENGTH]
