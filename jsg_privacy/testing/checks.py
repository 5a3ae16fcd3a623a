"""E055: ``JSG_PRIVACY_KIT`` cannot be used: the compliance kit would stop before checking anything.

Checked when the setting is not empty, so a typo in a dotted path shows in ``manage.py check``
rather than at the start of a CI run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from jsg_privacy.conf import app_settings


@register(Tags.compatibility, "jsg_privacy")
def check_kit(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    kit = app_settings.KIT
    if not kit or not isinstance(kit, Mapping):
        return []  # empty: the kit is not used; not a mapping: E001 says so
    from jsg_privacy.testing.config import KitConfig

    try:
        KitConfig.from_settings()
    except ImproperlyConfigured as error:
        return [
            Error(
                str(error),
                hint="See docs/compliance-kit.md#configuration.",
                id="jsg_privacy.E055",
            )
        ]
    return []
