"""The Opayo gateway's test double: the local Opayo Pi stand-in, run for a test session.

    from jsg_privacy.payments.gateways.opayo import testing as opayo_testing

    @pytest.fixture
    def opayo(settings):
        server = opayo_testing.local_opayo()  # started once per run, stopped at exit
        settings.JSG_PRIVACY_OPAYO = server.settings()
        return server

    def test_pays(client, opayo):
        token = opayo.card_token(session_key, "4929000000006")  # what the drop-in does
        client.post(charge_url, {"token": token})

Django runs tests with ``DEBUG`` off, where the stand-in is refused: ``settings()`` says
``"local_for_tests": True`` (``check --deploy`` refuses it, ``jsg_privacy.E068``).
"""

from __future__ import annotations

from typing import Any

from jsg_privacy.payments.gateways.opayo import standin
from jsg_privacy.payments.testing import StandIn, running


class LocalOpayo(StandIn):
    """An Opayo stand-in process of this test run."""

    module = standin.__name__
    banner = "opayo stand-in listening on"

    def settings(self) -> dict[str, Any]:
        """A ``JSG_PRIVACY_OPAYO`` value that points the Opayo gateway here, for a test suite."""
        return {"api_base": f"{self.url}/api/v1", "local_for_tests": True}

    def card_token(
        self, session_key: str, number: str, expiry: str = "1230", security_code: str = "123"
    ) -> str:
        """``<merchant session key>:<card identifier>`` for a test card, made as the drop-in does
        in the browser; raises :class:`urllib.error.HTTPError` when Opayo refuses the card."""
        card = {
            "cardholderName": "A Tester",
            "cardNumber": number,
            "expiryDate": expiry,
            "securityCode": security_code,
        }
        bearer = {"Authorization": f"Bearer {session_key}"}
        answer = self.post("/api/v1/card-identifiers", {"cardDetails": card}, bearer)
        return f"{session_key}:{answer['cardIdentifier']}"


def local_opayo() -> LocalOpayo:
    """The Opayo stand-in of this process, started on first use and stopped when Python exits."""
    return running(LocalOpayo)
