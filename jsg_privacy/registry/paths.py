"""Follow ``a__b__c`` paths on model classes (for checks) and on instances (for values).

A path may end inside a ``JSONField``: ``"extra__phone"`` names the key ``phone`` of the field
``extra`` (``"extra__delivery__phone"`` a nested key). :func:`resolve_field` then answers the
``JSONField`` and :func:`json_key` says which keys.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeAlias

from django.core.exceptions import FieldDoesNotExist
from django.db import models

#: What a path can end at: a field, or a relation seen from its other end (``"order__lines"``).
AnyField: TypeAlias = "models.Field[Any, Any] | models.ForeignObjectRel"


class PathError(LookupError):
    """A ``__`` path names a field that does not exist or is not a relation."""


class JsonKey(NamedTuple):
    """Where a path ends inside a JSON field: the path to the field, and the keys inside it."""

    field_path: str
    keys: tuple[str, ...]

    @property
    def local(self) -> bool:
        """The JSON field is the model's own (not reached through a relation)."""
        return "__" not in self.field_path


def _walk(model: type[models.Model], path: str) -> tuple[AnyField, int]:
    """The last field the path names before any JSON keys, and how many parts that took."""
    current = model
    parts = path.split("__")
    for position, name in enumerate(parts):
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist as exc:
            raise PathError(f"{current._meta.label} has no field {name!r}") from exc
        if position == len(parts) - 1:
            return field, position + 1
        if isinstance(field, models.JSONField):
            return field, position + 1
        if not field.is_relation or field.related_model is None:
            raise PathError(f"{current._meta.label}.{name} is not a relation")
        current = field.related_model
    raise PathError("an empty path")  # pragma: no cover - split() always yields one part


def resolve_field(model: type[models.Model], path: str) -> AnyField:
    """The field at the end of ``path`` (the ``JSONField`` for a key inside one); raises
    :class:`PathError`."""
    return _walk(model, path)[0]


def json_key(model: type[models.Model], path: str) -> JsonKey | None:
    """Where ``path`` ends inside a ``JSONField``, or ``None`` if it names a field."""
    field, used = _walk(model, path)
    parts = path.split("__")
    if used == len(parts) or not isinstance(field, models.JSONField):
        return None
    return JsonKey("__".join(parts[:used]), tuple(parts[used:]))


def resolve_value(instance: Any, path: str) -> Any:
    """The value at the end of ``path`` on ``instance``; ``None`` if a relation on the way is
    empty, or a JSON key on the way is missing."""
    value = instance
    for name in path.split("__"):
        if value is None:
            return None
        if isinstance(value, dict):
            value = value.get(name)
            continue
        value = getattr(value, name)
    return value
