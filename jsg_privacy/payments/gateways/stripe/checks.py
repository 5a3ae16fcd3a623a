"""System checks of the Stripe gateway, run while it is configured (ids listed in docs/checks.md).

- E017: Stripe has no secret key while ``DEBUG`` is off (the stand-in's public keys are refused).
- E018: Stripe's webhook secret is missing while ``DEBUG`` is off, or is localstripe's public one
  outside the demo.
- E019 (``check --deploy``): the test-only ``"local_for_tests"`` opt-in is set.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.checks import CheckMessage, Error

from jsg_privacy.checks import wrong_types
from jsg_privacy.payments.base import NotConfigured
from jsg_privacy.payments.gateways.stripe.client import StripeSettings
from jsg_privacy.payments.gateways.stripe.conf import StripeConf, stripe_conf
from jsg_privacy.payments.gateways.stripe.localstripe import LOCAL_FOR_TESTS

STRIPE_KEYS = (
    "Set secret_key, publishable_key and webhook_secret (the endpoint's whsec_…, from Stripe's "
    "dashboard) from the environment, e.g. Stripe's test-mode keys for a staging site."
)


def check(*, deploy: bool = False) -> list[CheckMessage]:
    """E001 for a wrong type, E017, E018; with ``deploy``, E019."""
    if not isinstance(stripe_conf.STRIPE, Mapping):
        return wrong_types(StripeConf, "jsg_privacy.E001")
    return _test_opt_in() if deploy else _secrets()


def _secrets() -> list[CheckMessage]:
    """E017: no secret key with DEBUG off; E018: no usable webhook secret (see docs/payments.md)."""
    try:
        keys = StripeSettings.load()
    except NotConfigured as refused:
        return [Error(str(refused), hint=STRIPE_KEYS, id="jsg_privacy.E017")]
    refusal = keys.webhook_refusal()
    if refusal and (keys.webhook_secret or not settings.DEBUG):
        return [
            Error(
                refusal,
                hint="Set webhook_secret to the signing secret of your endpoint in Stripe's "
                "dashboard, read from the environment.",
                id="jsg_privacy.E018",
            )
        ]
    return []


def _test_opt_in() -> list[CheckMessage]:
    """E019 (``check --deploy``): the test-only opt-in for localstripe is set in a deployment."""
    if not stripe_conf.STRIPE.get(LOCAL_FOR_TESTS):
        return []
    return [
        Error(
            f'JSG_PRIVACY_STRIPE sets "{LOCAL_FOR_TESTS}", an opt-in for test suites: payments go '
            "to the local stand-in with DEBUG off.",
            hint=f'Remove "{LOCAL_FOR_TESTS}" from the deployed settings. ' + STRIPE_KEYS,
            id="jsg_privacy.E019",
        )
    ]
