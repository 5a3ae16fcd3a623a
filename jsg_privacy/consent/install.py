"""Declare the consent layer's own cookies, so the notice and the banner list them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jsg_privacy.conf import app_settings
from jsg_privacy.consent.state import UI_SUFFIX, max_age
from jsg_privacy.registry import Cookie, Registry


def install(registry: Registry) -> None:
    name = app_settings.CONSENT_COOKIE_NAME
    registry.add(
        Cookie(
            name,
            _("this website"),
            "necessary",
            max_age(),
            _("Remembers your cookie choices (signed, so nobody can forge them)."),
        ),
        Cookie(
            name + UI_SUFFIX,
            _("this website"),
            "necessary",
            max_age(),
            _(
                "A readable copy of your cookie choices, so the page can apply them without asking the server."
            ),
        ),
    )
