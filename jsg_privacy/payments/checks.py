"""System checks of the payments package (ids listed in docs/checks.md).

- E012: a model field is named like card data.
- E017: Stripe has no secret key while ``DEBUG`` is off (the stand-in's public keys are refused).
- E018: Stripe's webhook secret is missing while ``DEBUG`` is off, or is localstripe's public one
  outside the demo.
- E019 (``check --deploy``): the test-only ``"local_for_tests"`` opt-in is set.
- W030: the card-data guard comes after a middleware that reads the request (sessions, CSRF,
  authentication, messages, locale, the consent middleware…), which then sees card data first.
- W031: payments are switched on and the card-data guard is not in ``MIDDLEWARE``.

E017-E019 concern the payments feature: a shop that has not switched it on (no
``JSG_PRIVACY_PAYMENT_ADAPTER``) takes no payment through jsg_privacy and is not asked for keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import models
from django.utils.module_loading import import_string

from jsg_privacy import features
from jsg_privacy.conf import app_settings
from jsg_privacy.payments.card_data import is_card_field_name
from jsg_privacy.payments.guard import CardDataGuardMiddleware
from jsg_privacy.payments.localstripe import LOCAL_FOR_TESTS

STRIPE_KEYS = (
    "Set secret_key, publishable_key and webhook_secret (the endpoint's whsec_…, from Stripe's "
    "dashboard) from the environment, e.g. Stripe's test-mode keys for a staging site."
)


@register(Tags.security, "jsg_privacy")
def check_card_fields(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E012: a model field is named like a card number or a card security code (CVV).

    Reported as ``app_label.Model.field``; proxy models and inherited fields are reported once."""
    models_to_check: Iterable[type[models.Model]] = (
        (model for config in app_configs for model in config.get_models())
        if app_configs is not None
        else apps.get_models()
    )
    return [
        Error(
            "Named like a card number or a card security code (CVV): the shop must never store "
            "card data.",
            hint="Store the payment provider's token, brand and last four digits instead.",
            obj=field,
            id="jsg_privacy.E012",
        )
        for model in models_to_check
        for field in model._meta.local_concrete_fields
        if is_card_field_name(field.name)
    ]


GUARD = "jsg_privacy.payments.guard.CardDataGuardMiddleware"
# Middleware that may come before the guard: they read nothing a customer typed.
_BEFORE_GUARD_OK = {
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.cache.UpdateCacheMiddleware",
}


def _is_guard(path: str) -> bool:
    if path == GUARD:
        return True
    try:
        middleware = import_string(path)
    except ImportError:
        return False  # Django reports a middleware it cannot import
    return isinstance(middleware, type) and issubclass(middleware, CardDataGuardMiddleware)


@register(Tags.security, "jsg_privacy")
def check_guard_position(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """W030: the card-data guard runs after a middleware that reads the request; W031: payments
    are on and no card-data guard is installed."""
    middleware = list(getattr(settings, "MIDDLEWARE", None) or ())
    position = next((index for index, path in enumerate(middleware) if _is_guard(path)), None)
    if position is None:
        if not features.payments():
            return []
        return [
            Warning(
                "Payments are switched on, but the card-data guard is not in MIDDLEWARE: a card "
                "number typed into any other form would reach the shop's views, sessions and logs.",
                hint=f"Add {GUARD!r} to MIDDLEWARE, right after SecurityMiddleware.",
                id="jsg_privacy.W031",
            )
        ]
    before = [path for path in middleware[:position] if path not in _BEFORE_GUARD_OK]
    if not before:
        return []
    return [
        Warning(
            f"The card-data guard comes after {', '.join(before)}: "
            f"{'it reads' if len(before) == 1 else 'they read'} a request (a session, a CSRF "
            "token, a log line…) before the guard can refuse one carrying card data.",
            hint=f"Move {middleware[position]!r} up, right after SecurityMiddleware.",
            id="jsg_privacy.W030",
        )
    ]


def _uses_stripe() -> bool:
    if not features.payments():
        return False
    try:
        gateway = import_string(app_settings.PAYMENT_GATEWAY)
    except ImportError:
        return False  # reported where the gateway is used
    return getattr(gateway, "name", "") == "stripe"


@register(Tags.security, "jsg_privacy")
def check_stripe_secrets(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E017: no secret key with DEBUG off; E018: no usable webhook secret (see docs/payments.md)."""
    if not isinstance(app_settings.STRIPE, Mapping) or not _uses_stripe():
        return []  # a wrong type is E001's
    from jsg_privacy.payments.base import NotConfigured
    from jsg_privacy.payments.stripe_client import StripeSettings

    try:
        stripe = StripeSettings.load()
    except NotConfigured as refused:
        return [Error(str(refused), hint=STRIPE_KEYS, id="jsg_privacy.E017")]
    refusal = stripe.webhook_refusal()
    if refusal and (stripe.webhook_secret or not settings.DEBUG):
        return [
            Error(
                refusal,
                hint="Set webhook_secret to the signing secret of your endpoint in Stripe's "
                "dashboard, read from the environment.",
                id="jsg_privacy.E018",
            )
        ]
    return []


@register(Tags.security, "jsg_privacy", deploy=True)
def check_stripe_test_opt_in(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E019 (``check --deploy``): the test-only opt-in for localstripe is set in a deployment."""
    stripe = app_settings.STRIPE
    if (
        not features.payments()
        or not isinstance(stripe, Mapping)
        or not stripe.get(LOCAL_FOR_TESTS)
    ):
        return []
    return [
        Error(
            f'JSG_PRIVACY_STRIPE sets "{LOCAL_FOR_TESTS}", an opt-in for test suites: payments go '
            "to the local stand-in with DEBUG off.",
            hint=f'Remove "{LOCAL_FOR_TESTS}" from the deployed settings. ' + STRIPE_KEYS,
            id="jsg_privacy.E019",
        )
    ]
