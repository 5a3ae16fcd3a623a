"""System checks of what the privacy notice says (ids listed in docs/checks.md).

- W088: a recipient that is a group company or a controller (a partner using the data for its own
  purposes) names no organisation: the notice would say "our group companies" or "selected
  partners" without saying who they are. The ICO expects third parties that rely on consent, and
  the recipients a notice discloses data to, to be named.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register

from jsg_privacy.registry import RecipientKind, registry

NAMED_KINDS = (RecipientKind.GROUP_COMPANY, RecipientKind.CONTROLLER)


@register(Tags.compatibility, "jsg_privacy")
def check_named_recipients(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    return [
        Warning(
            f"The recipient {recipient.key!r} ({recipient.name}) is a {recipient.kind} but names "
            "no organisation, so the privacy notice cannot say who receives the data.",
            hint="Name each one: privacy.add(dataclasses.replace(inventory."
            f'{recipient.key.upper()}, names=("Example Group Ltd", "Example Partner Ltd"))). '
            "A recipient that is one organisation names itself: names=(name,).",
            obj=recipient.key,
            id="jsg_privacy.W088",
        )
        for recipient in registry.recipients.values()
        if str(recipient.kind) in NAMED_KINDS and not recipient.names
    ]
