"""The fields of a request's query or body that hold card data, for the card-data guard.

Forms and queries are pairs of a name and its values; a JSON body is walked at any depth (a key's
dotted path is its name too); an XML body's elements and attributes are pairs like a form's, and
what lies outside them (comments, CDATA) is searched as text. In each, a field holds card data when
it is filled in and named like a card number or CVV, or its value holds a card number, unless
``JSG_PRIVACY_CARD_GUARD_EXEMPT_FIELDS`` exempts it; and a card number typed in parts over several
fields is found as well.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.module_loading import import_string

from jsg_privacy.conf import app_settings
from jsg_privacy.payments.card_data import (
    find_card_numbers,
    fold,
    is_card_field_name,
    split_card_number,
)

BODY_FIELD = "(request body)"


@lru_cache(maxsize=32)
def _exempt_validator(path: str) -> Callable[[Any], Any]:
    try:
        validator: Callable[[Any], Any] = import_string(path)
        return validator
    except ImportError as error:
        raise ImproperlyConfigured(
            f"JSG_PRIVACY_CARD_GUARD_EXEMPT_FIELDS names {path!r}, which cannot be imported: {error}"
        ) from error


def is_exempt(name: str, value: object) -> bool:
    """Whether the field ``name`` is in ``JSG_PRIVACY_CARD_GUARD_EXEMPT_FIELDS`` and its validator
    accepts ``value``: a predicate returning true, or a Django validator that does not raise. A value
    typed with full-width digits is also tried with ASCII ones."""
    path = app_settings.CARD_GUARD_EXEMPT_FIELDS.get(name)
    if path is None:
        return False
    validator = _exempt_validator(path)
    candidates = [value]
    if isinstance(value, str) and fold(value) != value:
        candidates.append(fold(value))
    for candidate in candidates:
        try:
            accepted = validator(candidate)
        except ValidationError:
            continue
        if accepted is None or accepted:
            return True
    return False


def _blank(value: object) -> bool:
    return (
        value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip())
    )


def holds_card_data(name: str, value: object, path: str | None = None) -> bool:
    """Whether the field ``name`` (at ``path`` in a JSON body) holding ``value`` is card data."""
    if _blank(value):
        return False
    hit = (
        is_card_field_name(name)
        or (path is not None and path != name and is_card_field_name(path))
        or bool(find_card_numbers(value if isinstance(value, str) else str(value)))
    )
    return hit and not is_exempt(name, value)


def _split(fields: list[tuple[str, object]], prefix: str = "") -> str | None:
    names = split_card_number(fields) if len(fields) >= 3 else None
    return None if names is None else ", ".join(prefix + name for name in names)


def in_pairs(pairs: Iterable[tuple[str, list[str]]]) -> str | None:
    """The first field of a form or query holding card data (names for a card typed in parts)."""
    short: list[tuple[str, object]] = []
    for name, values in pairs:
        if find_card_numbers(name):
            return name
        named_like_card = is_card_field_name(name)
        for value in values:
            if named_like_card:
                if value.strip() and not is_exempt(name, value):
                    return name
            elif len(value) >= 13:
                if find_card_numbers(value) and not is_exempt(name, value):
                    return name
            elif len(value) >= 3 and value.strip().isdigit():  # perhaps a part of a card number
                short.append((name, value))
    return _split(short)


def in_json(body: bytes) -> str | None:
    """The first key (as a dotted path) of a JSON body holding card data."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON after all: look at it as text
        return BODY_FIELD if find_card_numbers(body.decode("utf-8", "replace")) else None
    stack: list[tuple[str, str, Any]] = [(BODY_FIELD, BODY_FIELD, data)]
    while stack:
        name, path, value = stack.pop()
        if value.__class__ is list:
            stack.extend((name, path, item) for item in value)
        elif value.__class__ is not dict:
            if holds_card_data(name, value, path):
                return path
        else:
            prefix = "" if path == BODY_FIELD else f"{path}."
            parts: list[tuple[str, object]] = []
            for raw_key, item in value.items():
                key = str(raw_key)  # JSON object keys are strings
                if find_card_numbers(key):
                    return key
                if item.__class__ is dict or item.__class__ is list:
                    stack.append((key, prefix + key, item))
                elif _blank(item):
                    continue
                elif is_card_field_name(key) or (prefix and is_card_field_name(prefix + key)):
                    if not is_exempt(key, item):
                        return prefix + key
                else:
                    text = item if item.__class__ is str else str(item)
                    if len(text) >= 13:
                        if find_card_numbers(text) and not is_exempt(key, item):
                            return prefix + key
                    elif len(text) >= 3 and text.strip().isdigit():  # perhaps a part of a card
                        parts.append((key, text))
            split = _split(parts, prefix)
            if split is not None:
                return split
    return None


# A start tag (its name, attributes) and the text after it; an attribute (its name, value).
_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)([^<>]*)>([^<]*)")
_ATTRIBUTE = re.compile(r"([A-Za-z_][\w.:-]*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def in_xml(text: str) -> str | None:
    """The first element or attribute of an XML body holding card data (by its local name).

    Elements and attributes are read with regular expressions, never an XML parser (no entity is
    ever expanded); text outside them (comments, CDATA) is searched as text."""
    pairs: list[tuple[str, list[str]]] = []
    outside, position = [], 0
    for tag in _TAG.finditer(text):
        outside.append(text[position : tag.start(2)])
        for attribute in _ATTRIBUTE.finditer(tag.group(2)):
            value = attribute.group(2) if attribute.group(2) is not None else attribute.group(3)
            pairs.append((attribute.group(1).rpartition(":")[2], [value]))
        outside.append("\x00")
        pairs.append((tag.group(1).rpartition(":")[2], [tag.group(3)]))
        position = tag.end()
    outside.append(text[position:])
    field = in_pairs(pairs)
    if field is None and find_card_numbers("".join(outside)):
        return BODY_FIELD
    return field
