"""System checks of the payments package (ids listed in docs/checks.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import models

from jsg_privacy.payments.guard import is_card_field_name


@register(Tags.security, "jsg_privacy")
def check_card_fields(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E012: a model field is named like a card number or a card security code (CVV).

    Reported as ``app_label.Model.field``; proxy models and inherited fields are reported once."""
    models_to_check: Iterable[type[models.Model]] = (
        (model for config in app_configs for model in config.get_models())
        if app_configs is not None
        else apps.get_models()
    )
    return [
        Error(
            "Named like a card number or a card security code (CVV): the shop must never store "
            "card data.",
            hint="Store the payment provider's token, brand and last four digits instead.",
            obj=field,
            id="jsg_privacy.E012",
        )
        for model in models_to_check
        for field in model._meta.local_concrete_fields
        if is_card_field_name(field.name)
    ]
