"""System checks of the PayPal gateway, run while it is configured (ids listed in docs/checks.md).

- E066: PayPal has no ``client_secret`` while ``DEBUG`` is off (the stand-in is refused).
- E067: PayPal has no ``webhook_id`` while ``DEBUG`` is off: its events cannot be verified.
- E068 (``check --deploy``): the test-only ``"local_for_tests"`` opt-in is set.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.checks import CheckMessage, Error

from jsg_privacy.checks import wrong_types
from jsg_privacy.payments.base import NotConfigured
from jsg_privacy.payments.gateways.paypal.client import (
    LOCAL_FOR_TESTS,
    PayPalConf,
    PayPalSettings,
    paypal_conf,
)

PAYPAL_KEYS = (
    "Set client_id, client_secret and webhook_id in JSG_PRIVACY_PAYPAL from the environment "
    "(the sandbox's, with api_base https://api-m.sandbox.paypal.com, for a staging site)."
)


def check(*, deploy: bool = False) -> list[CheckMessage]:
    if not isinstance(paypal_conf.PAYPAL, Mapping):
        return wrong_types(PayPalConf, "jsg_privacy.E001")
    if deploy:
        if not paypal_conf.PAYPAL.get(LOCAL_FOR_TESTS):
            return []
        return [
            Error(
                f'JSG_PRIVACY_PAYPAL sets "{LOCAL_FOR_TESTS}", an opt-in for test suites: '
                "payments go to the local stand-in with DEBUG off.",
                hint=f'Remove "{LOCAL_FOR_TESTS}". ' + PAYPAL_KEYS,
                id="jsg_privacy.E068",
            )
        ]
    try:
        keys = PayPalSettings.load()
    except NotConfigured as refused:
        return [Error(str(refused), hint=PAYPAL_KEYS, id="jsg_privacy.E066")]
    refusal = keys.webhook_refusal()
    if refusal and not settings.DEBUG:
        return [Error(refusal, hint=PAYPAL_KEYS, id="jsg_privacy.E067")]
    return []
