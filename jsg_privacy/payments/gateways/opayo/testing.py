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

import atexit
import json
import select
import subprocess
import sys
import urllib.request
from typing import Any

from jsg_privacy.payments.gateways.opayo import standin

START_TIMEOUT = 20.0


class LocalOpayo:
    """An Opayo stand-in process of this test run."""

    def __init__(self) -> None:
        self.url = ""
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> LocalOpayo:
        command = [sys.executable, "-m", standin.__name__, "--port", "0"]
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            command, stdout=subprocess.PIPE, text=True
        )
        if self.process.stdout is None:  # pragma: no cover (stdout=PIPE above)
            raise RuntimeError("The Opayo stand-in has no output")
        ready, _, _ = select.select([self.process.stdout], [], [], START_TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        if not line.startswith("opayo stand-in listening on "):
            self.stop()
            raise RuntimeError(f"The Opayo stand-in did not start: {line!r}")
        self.url = line.split()[-1]
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=5)
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()

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
        request = urllib.request.Request(  # noqa: S310 (the stand-in on 127.0.0.1)
            f"{self.url}/api/v1/card-identifiers",
            json.dumps({"cardDetails": card}).encode(),
            {"Authorization": f"Bearer {session_key}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return f"{session_key}:{json.loads(response.read())['cardIdentifier']}"


_server: LocalOpayo | None = None


def local_opayo() -> LocalOpayo:
    """The Opayo stand-in of this process, started on first use and stopped when Python exits."""
    global _server
    if _server is None or _server.process is None or _server.process.poll() is not None:
        _server = LocalOpayo().start()
        atexit.register(_server.stop)
    return _server


__all__ = ["LocalOpayo", "local_opayo"]
