"""System checks of the Opayo gateway, run while it is configured (ids listed in docs/checks.md).

- E069: Opayo has no ``integration_password`` while ``DEBUG`` is off (the stand-in is refused).
- E068 (``check --deploy``): the test-only ``"local_for_tests"`` opt-in is set.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.checks import CheckMessage, Error

from jsg_privacy.checks import wrong_types
from jsg_privacy.payments.base import NotConfigured
from jsg_privacy.payments.gateways.opayo.client import (
    LOCAL_FOR_TESTS,
    OpayoConf,
    OpayoSettings,
    opayo_conf,
)

OPAYO_KEYS = (
    "Set vendor_name, integration_key and integration_password in JSG_PRIVACY_OPAYO from the "
    "environment (the sandbox's, with api_base https://sandbox.opayo.eu.elavon.com/api/v1, for a "
    "staging site)."
)


def check(*, deploy: bool = False) -> list[CheckMessage]:
    if not isinstance(opayo_conf.OPAYO, Mapping):
        return wrong_types(OpayoConf, "jsg_privacy.E001")
    if deploy:
        if not opayo_conf.OPAYO.get(LOCAL_FOR_TESTS):
            return []
        return [
            Error(
                f'JSG_PRIVACY_OPAYO sets "{LOCAL_FOR_TESTS}", an opt-in for test suites: '
                "payments go to the local stand-in with DEBUG off.",
                hint=f'Remove "{LOCAL_FOR_TESTS}". ' + OPAYO_KEYS,
                id="jsg_privacy.E068",
            )
        ]
    try:
        OpayoSettings.load()
    except NotConfigured as refused:
        return [Error(str(refused), hint=OPAYO_KEYS, id="jsg_privacy.E069")]
    return []
