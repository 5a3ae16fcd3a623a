"""Which model fields look like personal data, for the undeclared-data system checks.

A field looks personal when it is an ``EmailField`` or ``GenericIPAddressField``, a foreign key or
one-to-one link to the user model, or is named like a person's name, phone, address, postcode, birth
date or IP address. A field called just ``name`` counts when the model has another personal-looking
field (an enquiry's ``name`` beside its ``email``), not on its own (a product's ``name``). Mark false
positives with ``not_personal`` on the model's source or ``registry.exempt()``.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models

from jsg_privacy.crypto.fields import KeyedHashField

NAME_PATTERN = re.compile(
    r"(^|_)(full_name|first_name|last_name|given_name|family_name|middle_name|maiden_name|"
    r"contact_name|agent_name|customer_name|display_name|nickname|username|forename|surname|"
    r"phone|mobile|telephone|tel|fax|address|street|line[12]|town|city|county|postcode|"
    r"post_code|zip|zipcode|birth|dob|birthday|ip|ip_address|email|e_mail)(_|$)"
)
BARE_NAME = "name"


def personal_reason(field: models.Field) -> str | None:
    """Why ``field`` looks personal, or ``None``."""
    if isinstance(field, KeyedHashField):
        return None  # a keyed hash follows its source field: erased and anonymised with it
    if isinstance(field, models.EmailField):
        return "is an EmailField"
    if isinstance(field, models.GenericIPAddressField):
        return "is a GenericIPAddressField"
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        related = field.related_model
        if related is not None and related._meta.label == settings.AUTH_USER_MODEL:
            return "links to the user model"
        return None
    if field.is_relation:
        return None
    if getattr(field, "encrypted", False):
        return "is encrypted at rest"
    if NAME_PATTERN.search(field.name):
        return "is named like personal data"
    return None


def personal_looking_fields(model: type[models.Model]) -> dict[str, str]:
    """``{field name: reason}`` for the model's own concrete fields that look personal."""
    found: dict[str, str] = {}
    for field in model._meta.get_fields(include_parents=False):
        if field.auto_created and not field.concrete:
            continue
        reason = personal_reason(field)  # type: ignore[arg-type]
        if reason:
            found[field.name] = reason
    if found and BARE_NAME not in found and any(f.name == BARE_NAME for f in model._meta.fields):
        found[BARE_NAME] = "is a name beside other personal data"
    return found
