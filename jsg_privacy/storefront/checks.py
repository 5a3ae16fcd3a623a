"""The storefront API's settings: claimed from jsg_privacy.W001, type-checked as jsg_privacy.E001, and
its functions (the customer token's verifier and contact details) importable (jsg_privacy.E027)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.utils.module_loading import import_string

from jsg_privacy.checks import wrong_types
from jsg_privacy.conf import claim_prefix
from jsg_privacy.storefront.conf import StorefrontSettings, storefront_settings

claim_prefix("STOREFRONT_")  # declared in docs/storefront.md, checked here


@register(Tags.compatibility, "jsg_privacy")
def check_settings(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    return wrong_types(StorefrontSettings, "jsg_privacy.E001")


@register(Tags.compatibility, "jsg_privacy")
def check_functions(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for setting in (StorefrontSettings.CUSTOMER_AUTH, StorefrontSettings.CUSTOMER_CONTACT):
        path = getattr(storefront_settings, setting.name)
        if not path or not isinstance(path, str):
            continue
        try:
            found = import_string(path)
        except ImportError as error:
            problem = f"cannot be imported ({error})"
        else:
            if callable(found):
                continue
            problem = "is not a function"
        errors.append(
            Error(
                f"{setting.setting_name} = {path!r} {problem}.",
                hint="Give the dotted path of a function (docs/storefront.md).",
                id="jsg_privacy.E027",
            )
        )
    return errors
