"""The storefront API's settings: claimed from jsg_privacy.W001, type-checked as jsg_privacy.E001."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Tags, register

from jsg_privacy.checks import wrong_types
from jsg_privacy.conf import claim_prefix
from jsg_privacy.storefront.conf import StorefrontSettings

claim_prefix("STOREFRONT_")  # declared in docs/storefront.md, checked here


@register(Tags.compatibility, "jsg_privacy")
def check_settings(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    return wrong_types(StorefrontSettings, "jsg_privacy.E001")
