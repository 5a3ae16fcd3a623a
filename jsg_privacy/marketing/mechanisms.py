"""Everything marketing adds to the registry: its consent mechanisms (check E009) and its sources.

Marketing by medium (e-mail, SMS, phone, post) is always offered. Two boxes are optional features the
shop switches on (:mod:`jsg_privacy.features`): passing contact details to partners
(``JSG_PRIVACY_MARKETING_PARTNERS``) and publishing testimonials
(``JSG_PRIVACY_MARKETING_TESTIMONIALS``). While one is on, its purpose and its consent mechanism are
declared; while it is off, neither is, so the notice and the record do not mention it.

Call :func:`install` from ``JsgPrivacyConfig.ready()`` and again whenever a switch changes; it adds
or withdraws, and calling it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from jsg_privacy import features
from jsg_privacy.inventory import (
    MARKETING_CONSENT,
    PARTNER_MARKETING,
    PARTNER_MARKETING_PURPOSE,
    TESTIMONIALS,
    TESTIMONIALS_PURPOSE,
)
from jsg_privacy.registry import Purpose, Registry

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

#: The optional boxes: their purpose, and whether the shop switched them on.
OPTIONAL: tuple[tuple[Purpose, Callable[[], bool]], ...] = (
    (PARTNER_MARKETING_PURPOSE, features.partner_marketing),
    (TESTIMONIALS_PURPOSE, features.testimonials),
)


def install(registry: Registry) -> None:
    from jsg_privacy.marketing.sources import SOURCES

    _mechanism(registry, MARKETING_CONSENT, on=True)
    for purpose, switched_on in OPTIONAL:
        on = switched_on()
        if on and purpose.key not in registry.purposes:
            registry.add(purpose)
        elif not on and registry.purposes.get(purpose.key) is purpose:
            registry.remove(purpose.key)  # the shop's own purpose of that name stays
        _mechanism(registry, purpose.key, on=on)
    for source_class in SOURCES:
        if source_class.key not in registry.sources:
            registry.register_remote(source_class(registry))


def _mechanism(registry: Registry, purpose: str, *, on: bool) -> None:
    description = MECHANISMS[purpose]
    declared = registry.consent_mechanisms.get(purpose, [])
    if on and description not in declared:
        registry.add_consent_mechanism(purpose, description)
    elif not on and description in declared:
        declared.remove(description)
        if not declared:
            del registry.consent_mechanisms[purpose]
