"""Which models and fields look like personal data, for the undeclared-data checks and for
``manage.py privacy_inspect``.

A field looks personal on its own when it is

- an ``EmailField`` or ``GenericIPAddressField``;
- a link (foreign key, one-to-one or many-to-many) to the user model;
- named like a person's name, phone, address part (``line1``-``line4``, ``street``, ``town``,
  ``city``, ``county``, ``postcode``, ``postal_code``, ``zip``), birth date, e-mail or IP address
  (but not a template: ``email_body_template`` names no one).

A row with such a field is *about a person*. On such a row, these look personal too:

- a link to another row about a person (an order's ``shipping_address``; a line's ``order``), so
  the rows hanging off a customer's order are found even with no personal-looking column;
- a field called ``name``, ``title``, ``state``, ``region``, ``country`` or ``company`` (an enquiry's
  ``name`` beside its ``email`` — but not a product's ``name``);
- an encrypted field, free text (any ``TextField``, and text fields named like notes, messages,
  comments or search queries), a
  ``JSONField`` (a phone or a gift message inside ``extra``), a ``FileField`` or ``ImageField``.

Django's sessions hold who is signed in and their basket: ``sessions.Session`` is always personal.
Mark false positives with ``not_personal`` on the model's source or ``registry.exempt()``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models

from jsg_privacy.crypto.fields import KeyedHashField

NAME_PATTERN = re.compile(
    r"(^|_)(full_name|first_name|last_name|given_name|family_name|middle_name|maiden_name|"
    r"contact_name|agent_name|customer_name|display_name|nickname|username|forename|surname|"
    r"phone|mobile|telephone|tel|fax|address|street|line[1-4]|town|city|county|postcode|"
    r"post_code|postal_code|zip|zipcode|birth|dob|birthday|ip|ip_address|email|e_mail)(_|$)"
)
#: Names that are personal only on a row about a person (a product has a ``name`` and a ``title``).
CONTEXT_NAMES = frozenset({"name", "title", "state", "region", "country", "company"})
FREE_TEXT_PATTERN = re.compile(
    r"(^|_)(note|notes|message|messages|body|comment|comments|text|remarks|instructions|"
    r"feedback|review|reason|query|search_terms?)(_|$)"
)
#: Names that describe a message rather than hold a person's details: a template for e-mails
#: (``email_subject_template``) names no one.
TEMPLATE_NAME = re.compile(r"_templates?$")
#: Kept for code that imported it: the bare ``name`` rule is now one of :data:`CONTEXT_NAMES`.
BARE_NAME = "name"


def _user_model_label() -> str:
    return str(settings.AUTH_USER_MODEL)


def own_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The model's own concrete fields and forward many-to-many fields (not inherited ones)."""
    found = []
    for field in model._meta.get_fields(include_parents=False):
        if isinstance(field, models.ForeignObjectRel):
            continue  # reverse relations belong to the other model
        found.append(field)
    return found


def strong_reason(field: models.Field[Any, Any]) -> str | None:
    """Why ``field`` looks personal on any row, or ``None``."""
    if isinstance(field, KeyedHashField):
        return None  # a keyed hash follows its source field: erased and anonymised with it
    if isinstance(field, models.EmailField):
        return "is an EmailField"
    if isinstance(field, models.GenericIPAddressField):
        return "is a GenericIPAddressField"
    if field.is_relation:
        related = field.related_model
        if related is not None and related._meta.label == _user_model_label():
            return "links to the user model"
        return None
    if NAME_PATTERN.search(field.name) and not TEMPLATE_NAME.search(field.name):
        return "is named like personal data"
    return None


def context_reason(field: models.Field[Any, Any], personal: Iterable[str] = ()) -> str | None:
    """Why ``field`` looks personal on a row about a person, or ``None``.

    ``personal``: labels of the models known to hold rows about people (links to them count).
    """
    if isinstance(field, KeyedHashField) or field.primary_key:
        return None
    if field.is_relation:
        related = field.related_model
        if related is not None and related._meta.label in set(personal):
            return f"links to {related._meta.label}, a row about a person"
        return None
    name = field.name
    if getattr(field, "encrypted", False):
        return "is encrypted at rest"  # on its own, an encrypted token need not be personal
    if name in CONTEXT_NAMES or name.endswith(("_name", "_title")):
        return "is a name beside other personal data"
    if isinstance(field, models.JSONField):
        return "is a JSONField on a row about a person (it may hold anything)"
    if isinstance(field, models.FileField):  # ImageField too
        return "is a file on a row about a person"
    if isinstance(field, models.TextField):
        return "is free text on a row about a person"
    if isinstance(field, models.CharField) and FREE_TEXT_PATTERN.search(name):
        return "is free text on a row about a person"
    return None


def personal_looking_fields(
    model: type[models.Model], personal: Iterable[str] = ()
) -> dict[str, str]:
    """``{field name: reason}`` for the model's own fields that look personal.

    ``personal``: labels of models holding rows about people, for links to them (see
    :func:`personal_models`); without it only links to the user model count as links.
    """
    if issubclass(model, AbstractBaseSession):
        return {"session_data": "holds who is signed in and their basket (Django's sessions)"}
    fields = own_fields(model)
    found = {f.name: reason for f in fields if (reason := strong_reason(f))}
    personal = set(personal)
    if found or model._meta.label in personal:
        for field in fields:
            if field.name not in found and (reason := context_reason(field, personal)):
                found[field.name] = reason
    return found


def personal_models(
    candidates: Iterable[type[models.Model]],
    declared: Iterable[str] = (),
    exempt: Mapping[str, Any] | None = None,
) -> set[str]:
    """Labels of the models whose rows are about people: a personal-looking field of their own,
    a declaration, or a link to such a model (followed until nothing new is found).

    ``exempt``: the registry's exemptions (label -> exemption with its ``fields``). A model exempt
    as a whole is not about people, so links to it do not make other rows personal (a fulfilment
    partner's stock records); the fields exempt on a model do not count as its own.
    """
    candidates = list(candidates)
    exempt = exempt or {}
    whole = {label for label, exemption in exempt.items() if not _exempt_fields(exemption)}

    def fields_of(model: type[models.Model]) -> list[models.Field[Any, Any]]:
        skipped = set(_exempt_fields(exempt.get(model._meta.label)))
        return [f for f in own_fields(model) if f.name not in skipped]

    def looks_personal(model: type[models.Model]) -> bool:
        return any(strong_reason(f) for f in fields_of(model))

    found = (set(declared) | {_user_model_label()}) - whole
    found |= {
        m._meta.label
        for m in candidates
        if m._meta.label not in whole and (issubclass(m, AbstractBaseSession) or looks_personal(m))
    }
    while True:
        added = {
            m._meta.label
            for m in candidates
            if m._meta.label not in found
            and m._meta.label not in whole
            and any(
                f.is_relation
                and not f.one_to_many
                and f.related_model is not None
                and f.related_model._meta.label in found
                for f in fields_of(m)
            )
        }
        if not added:
            return found
        found |= added


def _exempt_fields(exemption: Any) -> tuple[str, ...]:
    return tuple(getattr(exemption, "fields", ()) or ())
