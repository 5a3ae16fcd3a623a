"""System checks of the payments package (ids listed in docs/checks.md).

- E012: a model field is named like card data.
- W030: the card-data guard comes after a middleware that reads the request (sessions, CSRF,
  authentication, messages, locale, the consent middleware…), which then sees card data first.
- W031: payments are switched on and the card-data guard is not in ``MIDDLEWARE``.
- E060: a path in ``JSG_PRIVACY_PAYMENT_GATEWAYS`` is not a gateway; E061: two gateways share a
  name; E063: ``JSG_PRIVACY_PAYMENT_ADAPTER`` is not an adapter; E064: no gateway is listed.
- E062 (a database check: ``check --database default``, ``migrate``): payments still needing a
  gateway that is no longer listed.
- W060: a configured gateway's recipient is not declared in the registry.
- Each configured gateway's own checks (:meth:`Gateway.checks`): Stripe's E017-E019.

All but E012 and W030 concern the payments feature: a shop that has not switched it on (no
``JSG_PRIVACY_PAYMENT_ADAPTER``) takes no payment through jsg_privacy and is not asked for keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string

from jsg_privacy import features
from jsg_privacy.conf import app_settings, claim_prefix
from jsg_privacy.payments import gateways
from jsg_privacy.payments.base import Gateway, Status
from jsg_privacy.payments.card_data import is_card_field_name
from jsg_privacy.payments.guard import CardDataGuardMiddleware
from jsg_privacy.registry import registry


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


def _gateway_classes() -> tuple[dict[str, type[Gateway]], list[CheckMessage]]:
    """The configured gateways by name, and E060/E061 for the paths that are not one."""
    found: dict[str, type[Gateway]] = {}
    messages: list[CheckMessage] = []
    for path in gateways.paths():
        try:
            gateway_class = gateways.load(path)
        except (ImportError, TypeError, ValueError) as error:
            messages.append(
                Error(
                    f"JSG_PRIVACY_PAYMENT_GATEWAYS names {path!r}, which is not a payment gateway: "
                    f"{error}",
                    hint="Give the dotted path of a jsg_privacy.payments.base.Gateway subclass, "
                    "e.g. 'jsg_privacy.payments.gateways.stripe.StripeGateway'.",
                    id="jsg_privacy.E060",
                )
            )
            continue
        if gateway_class.name in found:
            messages.append(
                Error(
                    f"Two payment gateways are called {gateway_class.name!r}: "
                    f"{found[gateway_class.name].__module__} and {path}.",
                    hint="Each payment stores its gateway's name, so names must be unique: list "
                    "each gateway once.",
                    id="jsg_privacy.E061",
                )
            )
            continue
        found[gateway_class.name] = gateway_class
    return found, messages


@register(Tags.security, "jsg_privacy")
def check_gateways(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """E060-E061, E063-E064, W060 and each configured gateway's own checks (E017, E018…)."""
    if not features.payments():
        return []
    messages = _adapter_messages()
    if isinstance(app_settings.PAYMENT_GATEWAYS, str | list | tuple):
        found, gateway_messages = _gateway_classes()
        messages += gateway_messages
        if not found and not gateway_messages:
            messages.append(
                Error(
                    "Payments are switched on, but JSG_PRIVACY_PAYMENT_GATEWAYS is empty.",
                    hint="List at least one gateway, e.g. "
                    "['jsg_privacy.payments.gateways.stripe.StripeGateway'].",
                    id="jsg_privacy.E064",
                )
            )
        for gateway_class in found.values():
            messages += gateway_class.checks()
            if gateway_class.recipient not in registry.recipients:
                messages.append(
                    Warning(
                        f"The payment gateway {gateway_class.name!r} sends to the recipient "
                        f"{gateway_class.recipient!r}, which is not declared: it can send nothing, "
                        "so every payment with it fails.",
                        hint="Declare it in a privacy.py (privacy.add(...)), with its country, "
                        "transfer safeguard and the fields it receives.",
                        id="jsg_privacy.W060",
                    )
                )
    return messages


def _adapter_messages() -> list[CheckMessage]:
    """E063: ``JSG_PRIVACY_PAYMENT_ADAPTER`` is not a ``PaymentAdapter`` subclass."""
    from jsg_privacy.payments.adapter import get_adapter

    try:
        get_adapter()
    except (ImportError, ImproperlyConfigured, ValueError) as error:
        return [
            Error(
                f"JSG_PRIVACY_PAYMENT_ADAPTER cannot be used: {error}",
                hint="Give the dotted path of your jsg_privacy.payments.adapter.PaymentAdapter "
                "subclass.",
                id="jsg_privacy.E063",
            )
        ]
    return []


@register(Tags.security, "jsg_privacy", deploy=True)
def check_gateways_deploy(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Each configured gateway's ``check --deploy`` checks (E019…)."""
    if not features.payments():
        return []
    found, _messages = _gateway_classes()
    return [
        message for gateway_class in found.values() for message in gateway_class.checks(deploy=True)
    ]


@register(Tags.database, "jsg_privacy")
def check_removed_gateways(
    app_configs: Sequence[Any] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    """E062 (with ``--database``, and before ``migrate``): payments that still need their gateway —
    paid ones (a refund) and any holding a customer at the provider (erasure) — were made with a
    gateway no longer in ``JSG_PRIVACY_PAYMENT_GATEWAYS``."""
    if not databases or not features.payments():
        return []
    from django.db import DatabaseError

    from jsg_privacy.payments.models import Payment

    found, _messages = _gateway_classes()
    messages: list[CheckMessage] = []
    for alias in databases:
        needing = Payment.objects.using(alias).exclude(gateway__in=list(found))
        needing = needing.filter(models.Q(status=Status.SUCCEEDED) | ~models.Q(customer_id=""))
        try:
            counts = list(
                needing.values_list("gateway").annotate(n=models.Count("pk")).order_by("gateway")
            )
        except DatabaseError:
            continue  # not migrated yet: nothing to refund
        messages += [
            Error(
                f"{count} payment(s) were made with the gateway {name!r}, which is no longer in "
                "JSG_PRIVACY_PAYMENT_GATEWAYS: they cannot be refunded, nor their customers "
                "deleted at the provider on erasure.",
                hint=f"Keep the gateway called {name!r} in JSG_PRIVACY_PAYMENT_GATEWAYS (anywhere "
                "in the list: the first is the default) until they are refunded or past their "
                "retention.",
                id="jsg_privacy.E062",
            )
            for name, count in counts
        ]
    return messages


for _prefix in gateways.BUILT_IN_SETTINGS:
    claim_prefix(_prefix)
