"""Follow ``a__b__c`` paths on model classes (for checks) and on instances (for values)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models


class PathError(LookupError):
    """A ``__`` path names a field that does not exist or is not a relation."""


def resolve_field(model: type[models.Model], path: str) -> models.Field:
    """The field at the end of ``path``, starting from ``model``; raises :class:`PathError`."""
    current = model
    parts = path.split("__")
    for position, name in enumerate(parts):
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist as exc:
            raise PathError(f"{current._meta.label} has no field {name!r}") from exc
        if position < len(parts) - 1:
            if not field.is_relation or field.related_model is None:
                raise PathError(f"{current._meta.label}.{name} is not a relation")
            current = field.related_model
    return field  # type: ignore[return-value]


def resolve_value(instance: Any, path: str) -> Any:
    """The value at the end of ``path`` on ``instance``; ``None`` if a relation on the way is empty."""
    value = instance
    for name in path.split("__"):
        if value is None:
            return None
        value = getattr(value, name)
    return value
