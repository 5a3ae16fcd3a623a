"""Opayo Pi's REST API as the Opayo gateway uses it: its settings and its client.

:class:`OpayoSettings` reads ``JSG_PRIVACY_OPAYO``: Opayo (``https://live.opayo.eu.elavon.com/
api/v1``, or the sandbox's ``api_base``) when an ``integration_password`` is given; else the local
stand-in on ``http://127.0.0.1:8440/api/v1`` with its public credentials — only with ``DEBUG`` on,
or in a test suite that says ``"local_for_tests": True``. Anything else with ``DEBUG`` off raises
:class:`~jsg_privacy.payments.base.NotConfigured` (check ``jsg_privacy.E069``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings

from jsg_privacy.conf import Setting, SettingsGroup
from jsg_privacy.payments.base import NotConfigured
from jsg_privacy.payments.gateways.opayo import standin
from jsg_privacy.payments.http import JsonApi

LIVE_API = "https://live.opayo.eu.elavon.com/api/v1"
LOCAL_API = f"http://{standin.HOST}:{standin.DEFAULT_PORT}/api/v1"
LOCAL_FOR_TESTS = "local_for_tests"


class OpayoConf(SettingsGroup):
    OPAYO = Setting[Mapping[str, Any]](
        {},
        types=Mapping,
        help="Opayo Pi's credentials: vendor_name, integration_key, integration_password, and "
        "api_base (https://sandbox.opayo.eu.elavon.com/api/v1 for the sandbox). With no "
        "integration_password and DEBUG on, the local stand-in is used; with DEBUG off it is "
        "required (check jsg_privacy.E069) unless a test suite sets local_for_tests.",
    )


opayo_conf = OpayoConf()


@dataclass(frozen=True)
class OpayoSettings:
    vendor_name: str
    integration_key: str
    integration_password: str
    api_base: str
    local: bool

    @classmethod
    def load(cls) -> OpayoSettings:
        given = {key: value for key, value in opayo_conf.OPAYO.items() if value}
        if given.get("integration_password"):
            return cls(
                vendor_name=given.get("vendor_name", ""),
                integration_key=given.get("integration_key", ""),
                integration_password=given["integration_password"],
                api_base=given.get("api_base", LIVE_API).rstrip("/"),
                local=False,
            )
        if not (django_settings.DEBUG or given.get(LOCAL_FOR_TESTS)):
            raise NotConfigured(
                "JSG_PRIVACY_OPAYO has no integration_password while DEBUG is off: Opayo payments "
                "are refused rather than sent to the local stand-in with its public credentials."
            )
        return cls(
            vendor_name=standin.VENDOR,
            integration_key=standin.INTEGRATION_KEY,
            integration_password=standin.INTEGRATION_PASSWORD,
            api_base=given.get("api_base", LOCAL_API).rstrip("/"),
            local=True,
        )

    def js_url(self) -> str:
        """The drop-in checkout's script, served beside the API (``…/api/v1/js/sagepay.js``)."""
        return f"{self.api_base}/js/sagepay.js"


def _issue(answer: Any) -> str:
    """Opayo's code for what went wrong: ``errors[0].code`` (422) or ``code``/``statusCode``."""
    if not isinstance(answer, dict):
        return ""
    errors = answer.get("errors") or [answer]
    return str(errors[0].get("code") or errors[0].get("statusCode") or "")


def make_api(settings: OpayoSettings) -> JsonApi:
    return JsonApi("Opayo", settings.api_base, _issue)
