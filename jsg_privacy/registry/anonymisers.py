"""Per-field anonymisers: ``(instance, value) -> replacement``.

Declare them on :class:`~jsg_privacy.registry.rules.Anonymise`; fields without one get
:func:`default_for` their type. Replacements never contain the old value.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db import models

ERASED = "[erased]"


def keep(instance: Any, value: Any) -> Any:
    """Keep the value: for fields that stop being personal once the rest is anonymised (totals)."""
    return value


def blank(instance: Any, value: Any) -> str:
    return ""


def null(instance: Any, value: Any) -> None:
    return None


def redact(instance: Any, value: Any) -> str:
    return ERASED


def erased_email(instance: Any, value: Any) -> str:
    """A unique, undeliverable address: ``erased-<pk>@invalid`` (RFC 2606 reserves ``.invalid``)."""
    return f"erased-{instance.pk}@invalid"


def unique_erased(instance: Any, value: Any) -> str:
    """``erased-<pk>``: a value no other row has, for a unique text field (a username, say)."""
    return f"erased-{instance.pk}"


def new_uuid(instance: Any, value: Any) -> uuid.UUID:
    """A fresh random UUID, for a unique UUID field (a public order id, say)."""
    return uuid.uuid4()


def empty_json(instance: Any, value: Any) -> dict[str, Any]:
    """An empty JSON object, for a JSON field that may not be null."""
    return {}


def drop_key(instance: Any, value: Any) -> Any:
    """For a key inside a JSON field: remove the key (the default for declared keys)."""
    return DROP


class _Drop:
    """The value :func:`drop_key` answers: the key is removed rather than given a new value."""

    def __repr__(self) -> str:
        return "DROP"


DROP = _Drop()

#: Anonymisers whose answer differs from row to row (or is NULL, which never collides).
UNIQUE_SAFE = frozenset({"erased_email", "unique_erased", "new_uuid", "keep"})


def fixed(replacement: Any) -> Callable[[Any, Any], Any]:
    """An anonymiser that always answers ``replacement``."""

    def anonymise(instance: Any, value: Any) -> Any:
        return replacement

    anonymise.__name__ = f"fixed({replacement!r})"
    return anonymise


def keep_outward_postcode(instance: Any, value: Any) -> str:
    """Keep the outward code of a UK postcode ("SS14 3AB" -> "SS14"), for regional statistics."""
    return str(value or "").strip().split(" ")[0][:4].upper()


def first_of_year(instance: Any, value: Any) -> Any:
    """Generalise a date or datetime to the 1st of January of its year (keeps only the year)."""
    return value.replace(month=1, day=1) if value else value


def default_for(field: models.Field[Any, Any]) -> Callable[[Any, Any], Any]:
    """The anonymiser used when a declaration names none for ``field``: always a valid value,
    and a different one per row for a unique field (so erasing two orders never collides)."""
    if isinstance(field, models.EmailField):
        return null if field.null else erased_email
    if field.null:
        return null
    if isinstance(field, models.JSONField):
        return empty_json
    if field.unique:
        if isinstance(field, models.UUIDField):
            return new_uuid
        if isinstance(field, models.CharField | models.TextField):
            return unique_erased
    if isinstance(field, models.GenericIPAddressField):
        return fixed("0.0.0.0")  # noqa: S104 -- a placeholder value, not a bind address
    if isinstance(field, models.CharField | models.TextField):
        # Optional text becomes empty; required text says it was erased (where it fits).
        if field.blank or (field.max_length is not None and field.max_length < len(ERASED)):
            return blank
        return redact
    if isinstance(field, models.BooleanField):
        return fixed(False)
    if isinstance(field, models.DateField):  # DateTimeField too
        return first_of_year
    if isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
        return fixed(0)
    return null
