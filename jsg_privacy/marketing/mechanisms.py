"""Everything marketing adds to the registry: its consent mechanisms (check E009) and its sources.

Call :func:`install` once, from ``JsgPrivacyConfig.ready()``; calling it again changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jsg_privacy.inventory import MARKETING_CONSENT, PARTNER_MARKETING, TESTIMONIALS
from jsg_privacy.registry import Registry

MECHANISMS = {
    MARKETING_CONSENT: _(
        "one unticked box per channel (e-mail, SMS, phone, post) at checkout and sign-up, the "
        "marketing preferences page, and the one-click unsubscribe link in every e-mail"
    ),
    PARTNER_MARKETING: _(
        "a separate unticked box at checkout and sign-up, and the marketing preferences page"
    ),
    TESTIMONIALS: _("an unticked box on the marketing preferences page"),
}


def install(registry: Registry) -> None:
    from jsg_privacy.marketing.sources import SOURCES

    for purpose, description in MECHANISMS.items():
        if description not in registry.consent_mechanisms.get(purpose, []):
            registry.add_consent_mechanism(purpose, description)
    for source_class in SOURCES:
        if source_class.key not in registry.sources:
            registry.register_remote(source_class(registry))
