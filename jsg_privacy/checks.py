"""System checks of jsg_privacy.

Ids are stable and listed in ``docs/checks.md``; never reuse a retired id.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from jsg_privacy.conf import (
    PREFIX,
    AppSettings,
    SettingsGroup,
    app_settings,
    claimed_prefixes,
)
from jsg_privacy.registry import registry
from jsg_privacy.registry.checks import Incomplete, check_registry
from jsg_privacy.registry.clients import parse_clients

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


#: The warning each "incomplete inventory" error is while the shop is not strict.
SOFTENED = {
    "jsg_privacy.E002": "jsg_privacy.W007",
    "jsg_privacy.E003": "jsg_privacy.W008",
    "jsg_privacy.E007": "jsg_privacy.W009",
    "jsg_privacy.E020": "jsg_privacy.W010",
    "jsg_privacy.E025": "jsg_privacy.W013",
}
STRICT_NOTE = " (A warning until JSG_PRIVACY_STRICT = True, and an error with check --deploy.)"


def _soften(message: CheckMessage) -> CheckMessage:
    if not isinstance(message, Incomplete):
        return message
    return Warning(
        message.msg,
        hint=(message.hint or "") + STRICT_NOTE,
        obj=message.obj,
        id=SOFTENED[str(message.id)],
    )


@register(Tags.models, "jsg_privacy")
def check_inventory(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """E002-E011, E020-E023: personal data that is undeclared, or declared wrongly.

    Undeclared data never stops ``migrate`` or ``runserver`` while a shop is being set up: the
    errors that only say the inventory is incomplete (E002, E003, E007 without a rule, E020) are
    the warnings W007-W010 until ``JSG_PRIVACY_STRICT`` is on. See docs/checks.md."""
    messages = check_registry(registry)
    if app_settings.STRICT:
        return messages
    return [_soften(message) for message in messages]


@register(Tags.models, "jsg_privacy", deploy=True)
def check_inventory_for_deploy(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """With ``check --deploy``, an incomplete inventory is an error even when not strict."""
    if app_settings.STRICT:
        return []  # check_inventory reports them as errors already
    return [m for m in check_registry(registry) if isinstance(m, Incomplete)]


@register(Tags.translation, "jsg_privacy")
def check_languages(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """W094: LANGUAGES without LocaleMiddleware; W095: a language jsg_privacy has no words for."""
    from jsg_privacy.languages import problems

    return problems()


@register(Tags.security, "jsg_privacy")
def check_export_storage(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E024 (W011 until strict): export ZIPs would be written into the project folder."""
    from jsg_privacy.requests.storage import FIX, problem

    found = problem()
    if not found:
        return []
    if app_settings.STRICT:
        return [Error(found, hint=FIX, id="jsg_privacy.E024")]
    return [Warning(found, hint=FIX + STRICT_NOTE, id="jsg_privacy.W011")]


@register(Tags.security, "jsg_privacy", deploy=True)
def check_export_storage_for_deploy(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    from jsg_privacy.requests.storage import FIX, problem

    found = problem()
    if not found or app_settings.STRICT:
        return []
    return [Error(found, hint=FIX, id="jsg_privacy.E024")]


@register(Tags.security, "jsg_privacy")
def check_erasure_journal(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E026: the erasure journal cannot be written; W014: with DEBUG off there is none."""
    from jsg_privacy.audit import journal

    problem = journal.writable_problem()
    if problem:
        return [
            Error(
                problem,
                hint="Erasures refuse to run while their journal cannot be written. Create the "
                "folder, writable by the web and worker processes, on a volume a database restore "
                "does not touch.",
                id="jsg_privacy.E026",
            )
        ]
    if journal.path() is None and not settings.DEBUG:
        return [
            Warning(
                "JSG_PRIVACY_ERASURE_JOURNAL is not set: erasure records live only in the main "
                "database, so restoring a backup taken before an erasure brings the subject back "
                "and nothing says to erase them again.",
                hint='Set JSG_PRIVACY_ERASURE_JOURNAL = "/var/lib/<site>/erasures.jsonl" (another '
                "volume, backed up on its own); see docs/audit.md.",
                id="jsg_privacy.W014",
            )
        ]
    return []


@register(Tags.templates, "jsg_privacy")
def check_form_classes(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E096: ``JSG_PRIVACY_FORM_CLASSES`` names a kind of element the forms do not have, or maps
    one to something other than a string of class names."""
    from jsg_privacy.templatetags.jsg_privacy_forms import KINDS

    classes = getattr(settings, PREFIX + "FORM_CLASSES", {})
    if not isinstance(classes, Mapping):
        return []  # E001 says so
    unknown = sorted(str(k) for k in classes if k not in KINDS)
    not_text = sorted(str(k) for k, v in classes.items() if k in KINDS and not isinstance(v, str))
    messages: list[CheckMessage] = []
    if unknown:
        messages.append(
            Error(
                f"{PREFIX}FORM_CLASSES has keys the privacy forms do not use: {', '.join(unknown)}.",
                hint=f"Use only {', '.join(KINDS)}; see docs/templates.md.",
                id="jsg_privacy.E096",
            )
        )
    if not_text:
        messages.append(
            Error(
                f"{PREFIX}FORM_CLASSES maps {', '.join(not_text)} to something other than a string.",
                hint='Give each kind its classes as one string, e.g. {"input": "form-control"}.',
                id="jsg_privacy.E096",
            )
        )
    return messages
