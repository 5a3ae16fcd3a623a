"""System checks of marketing's optional boxes (ids listed in docs/checks.md).

- W012: partner marketing is switched on, but no recipient is declared for it: the notice would
  promise to pass contact details to partners without saying who they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register

from jsg_privacy import features
from jsg_privacy.inventory import PARTNER_MARKETING
from jsg_privacy.registry import registry


@register(Tags.compatibility, "jsg_privacy")
def check_partner_recipients(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """W012: ``JSG_PRIVACY_MARKETING_PARTNERS`` is on and no recipient receives data for it."""
    if not features.partner_marketing() or PARTNER_MARKETING not in registry.purposes:
        return []
    if any(PARTNER_MARKETING in r.purposes for r in registry.recipients.values()):
        return []
    return [
        Warning(
            "JSG_PRIVACY_MARKETING_PARTNERS is on, but no recipient is declared for the purpose "
            f"{PARTNER_MARKETING!r}: the privacy notice cannot say who the partners are.",
            hint="Declare them in a privacy.py, e.g. privacy.add(inventory.CHANNEL_PARTNERS) or "
            f'privacy.Recipient(..., purposes=("{PARTNER_MARKETING}",)), or switch the setting off.',
            id="jsg_privacy.W012",
        )
    ]
