"""System checks of the recipients' notifiers (ids listed in docs/checks.md).

- E045: a recipient's notifier (``Recipient.notifier`` or ``JSG_PRIVACY_RECIPIENT_NOTIFIER``)
  cannot be imported or is not a :class:`~jsg_privacy.notifiers.Notifier`: its notices would fail
  and the requests wait for recipients until it is fixed.
- W045: a recipient told by e-mail has no ``contact``: its notices fail until one is declared or
  staff record that they told it another way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register

from jsg_privacy.notifiers.base import load, notifier_path
from jsg_privacy.registry import RecipientKind, registry


@register(Tags.compatibility, "jsg_privacy")
def check_notifiers(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for recipient in registry.recipients.values():
        if str(recipient.kind) == RecipientKind.AUTHORITY:
            continue  # never told on its own (jsg_privacy.notifiers.received)
        try:
            notifier = load(recipient)
        except (ImportError, TypeError) as exc:
            messages.append(
                Error(
                    f"The notifier of the recipient {recipient.key!r} cannot be used: {exc}",
                    hint="Name a jsg_privacy.notifiers.Notifier subclass by its dotted path in "
                    "Recipient.notifier (or JSG_PRIVACY_RECIPIENT_NOTIFIER).",
                    obj=notifier_path(recipient),
                    id="jsg_privacy.E045",
                )
            )
            continue
        if notifier.needs_contact() and not recipient.contact:
            messages.append(
                Warning(
                    f"The recipient {recipient.key!r} ({recipient.name}) has no contact address, so "
                    "it cannot be told when a subject's data it received is erased, corrected or "
                    "restricted (UK GDPR Art. 19): those requests wait for recipients until staff "
                    "record that they told it another way.",
                    hint="Declare it with the address from your agreement with it, e.g. "
                    f"privacy.add(dataclasses.replace(inventory.{recipient.key.upper()}, "
                    'contact="privacy@example.com")).',
                    id="jsg_privacy.W045",
                )
            )
    return messages
