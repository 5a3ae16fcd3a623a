"""System checks of jsg_privacy.

Ids are stable and listed in ``docs/checks.md``; never reuse a retired id.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from jsg_privacy.conf import PREFIX, AppSettings, SettingsGroup, claimed_prefixes, parse_clients
from jsg_privacy.registry import registry
from jsg_privacy.registry.checks import check_registry

ROLES = ("controller", "processor")


def wrong_types(group: type[SettingsGroup], check_id: str) -> list[CheckMessage]:
    """An error per setting of ``group`` the project set to a value of the wrong type."""
    return [
        Error(
            f"{setting.setting_name} has a value of type {type(value).__name__}.",
            hint=setting.help,
            id=check_id,
        )
        for setting, value in group.wrong_types()
    ]


@register(Tags.compatibility, "jsg_privacy")
def check_settings(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """E001: a setting has a value of the wrong type; W001: an unknown ``JSG_PRIVACY_`` name."""
    declared = AppSettings.declared()
    messages: list[CheckMessage] = []
    for attr in sorted(set(dir(settings))):  # dir() repeats names under override_settings
        if not attr.startswith(PREFIX):
            continue
        name = attr.removeprefix(PREFIX)
        if name.startswith(tuple(claimed_prefixes)):
            continue  # an installed integration declares and checks these
        if name not in declared:
            close = difflib.get_close_matches(name, declared, n=1)
            hint = f"Did you mean {PREFIX}{close[0]}?" if close else "See docs/configuration.md."
            messages.append(
                Warning(f"{attr} is not a jsg_privacy setting.", hint=hint, id="jsg_privacy.W001")
            )
    messages += wrong_types(AppSettings, "jsg_privacy.E001")
    role = getattr(settings, PREFIX + "ROLE", "controller")
    if isinstance(role, str) and role not in ROLES:
        messages.append(
            Error(
                f"{PREFIX}ROLE is {role!r}.",
                hint=f"Use one of: {', '.join(ROLES)}.",
                id="jsg_privacy.E001",
            )
        )
    if role == "processor" and not getattr(settings, PREFIX + "CLIENTS", None):
        messages.append(
            Warning(
                f"{PREFIX}ROLE is processor but {PREFIX}CLIENTS names no client.",
                hint="List the controllers you process data for and their instructions.",
                id="jsg_privacy.W002",
            )
        )
    controller = getattr(settings, PREFIX + "CONTROLLER", {})
    if isinstance(controller, Mapping):
        missing = [key for key in ("name", "address", "email") if not controller.get(key)]
        if missing:
            messages.append(
                Warning(
                    f"{PREFIX}CONTROLLER has no {', '.join(missing)}.",
                    hint="The privacy notice must say who the controller is and how to reach them.",
                    id="jsg_privacy.W003",
                )
            )
    for problem in parse_clients(getattr(settings, PREFIX + "CLIENTS", []))[1]:
        messages.append(Error(problem, id="jsg_privacy.E001"))
    return messages


@register(Tags.models, "jsg_privacy")
def check_inventory(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """E002-E011: personal data that is undeclared, or declared wrongly (see docs/checks.md)."""
    return check_registry(registry)
