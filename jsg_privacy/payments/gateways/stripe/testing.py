"""The Stripe gateway's test double: a local Stripe (localstripe) and webhooks signed as Stripe does.

In a pytest suite::

    from jsg_privacy.payments.gateways.stripe import testing

    @pytest.fixture
    def stripe_server(settings):
        server = testing.local_stripe()          # started once per test run, stopped at exit
        settings.JSG_PRIVACY_STRIPE = server.settings()
        return server

    def test_pays(client, stripe_server):
        prepared = client.post(prepare_url).json()                 # the shop's PaymentIntent
        stripe_server.confirm_card(prepared["client_secret"], "4242424242424242")  # as Stripe.js
        client.post(confirm_url)                                   # the shop asks Stripe
        ...

``local_stripe()`` runs ``python -m jsg_privacy.payments.gateways.stripe.localstripe`` on a free port of 127.0.0.1
with a state file in a new temporary directory; :func:`signed_webhook` builds a request body and
``Stripe-Signature`` header exactly as Stripe signs them.

Django runs tests with ``DEBUG`` off, where jsg_privacy refuses the stand-in and its public webhook
secret. ``server.settings()`` therefore says ``"local_for_tests": True`` (a test-only opt-in that
``check --deploy`` refuses) and gives a webhook secret made for this run, never the public one.
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import json
import secrets
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from jsg_privacy.payments.gateways.stripe import localstripe

START_TIMEOUT = 20.0
WEBHOOK_PATH = "/_config/webhooks/jsg_privacy_tests"


class LocalStripe:
    """A localstripe process of this test run."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="jsg-localstripe-"))
        self.state = self.directory / "state.pickle"
        self.log = self.directory / "localstripe.log"
        self.url = ""
        self.process: subprocess.Popen[str] | None = None
        #: The secret this run's webhooks are signed with: made here, known to nobody else.
        self.webhook_secret = f"whsec_tests_{secrets.token_hex(16)}"

    def start(self) -> LocalStripe:
        command = [sys.executable, "-m", localstripe.__name__, "--port", "0"]
        command += ["--state", str(self.state), "--from-scratch"]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                command, stdout=subprocess.PIPE, stderr=log, text=True
            )
        if self.process.stdout is None:  # pragma: no cover (stdout=PIPE above)
            raise RuntimeError("localstripe has no output")
        ready, _, _ = select.select([self.process.stdout], [], [], START_TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        if not line.startswith("localstripe listening on "):
            self.process.kill()
            self.process.wait()
            output = self.log.read_text()
            self.stop()
            raise RuntimeError(f"localstripe did not start: {line!r} {output!r}")
        self.url = line.split()[3]
        self._wait_until_serving()
        return self

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/js.stripe.com/v3/", timeout=2):  # noqa: S310
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def settings(self) -> dict[str, Any]:
        """A ``JSG_PRIVACY_STRIPE`` value that points the Stripe backend here, for a test suite."""
        return {
            "api_base": self.url,
            "webhook_secret": self.webhook_secret,
            localstripe.LOCAL_FOR_TESTS: True,
        }

    def post(self, path: str, data: dict[str, Any], key: str = localstripe.SECRET_KEY) -> Any:
        body = urllib.parse.urlencode(data).encode()
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        request = urllib.request.Request(f"{self.url}{path}", body, headers)  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read() or b"null")

    def confirm_card(
        self,
        client_secret: str,
        number: str,
        exp_month: int = 12,
        exp_year: int = 2030,
        cvc: str = "123",
    ) -> dict[str, Any]:
        """Confirm a PaymentIntent with a test card, as ``stripe.confirmCardPayment(clientSecret,
        {payment_method: {card}})`` does in the browser: a PaymentMethod made with the publishable
        key, then the intent confirmed with it and the client secret. Returns the intent, or
        ``{"error": {...}}`` (a declined card); 3-D Secure is then :meth:`authenticate`'s."""
        card = {"number": number, "exp_month": exp_month, "exp_year": exp_year, "cvc": cvc}
        data = {f"card[{name}]": value for name, value in card.items()}
        public = {"key": localstripe.PUBLISHABLE_KEY}
        try:
            method = self.post("/v1/payment_methods", {"type": "card", **data, **public}, key="")
            intent_id = client_secret.split("_secret_")[0]
            confirm = {"client_secret": client_secret, "payment_method": method["id"], **public}
            return dict(self.post(f"/v1/payment_intents/{intent_id}/confirm", confirm, key=""))
        except urllib.error.HTTPError as error:
            return dict(json.loads(error.read() or b"{}"))

    def authenticate(self, intent_id: str, client_secret: str, success: bool = True) -> Any:
        """Pass (or fail) 3-D Secure for a payment, as the cardholder does in Stripe.js's dialog."""
        path = f"/v1/payment_intents/{intent_id}/_authenticate?success={str(success).lower()}"
        return self.post(path, {"client_secret": client_secret})

    def add_webhook(self, url: str, secret: str = "", events: list[str] | None = None) -> None:
        """Have localstripe POST its events (all, or the ``events`` named) to ``url``, signed with
        ``secret`` (default: this run's :attr:`webhook_secret`)."""
        data = {"url": url, "secret": secret or self.webhook_secret}
        data.update({f"events[{index}]": kind for index, kind in enumerate(events or [])})
        self.post(WEBHOOK_PATH, data)

    def remove_webhook(self) -> None:
        """Stop sending events (localstripe cannot forget a webhook: it is pointed at nothing)."""
        self.add_webhook("http://127.0.0.1:9/", events=["none"])


_server: LocalStripe | None = None


def local_stripe() -> LocalStripe:
    """The localstripe of this process, started on first use and stopped when Python exits."""
    global _server
    if _server is None or _server.process is None or _server.process.poll() is not None:
        _server = LocalStripe().start()
        atexit.register(_server.stop)
    return _server


def signed_webhook(
    event: dict[str, Any], secret: str = "", timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """``(body, headers)`` of a webhook signed as Stripe signs it: ``t=<time>,v1=<HMAC-SHA256>``.

    ``secret`` defaults to the ``webhook_secret`` of ``JSG_PRIVACY_STRIPE`` in force.
    """
    if not secret:
        from jsg_privacy.payments.gateways.stripe.conf import stripe_conf

        secret = str(stripe_conf.STRIPE.get("webhook_secret") or "")
    body = json.dumps(event).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + body
    signature = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={timestamp},v1={signature}"}


def payment_intent_event(
    intent_id: str,
    kind: str = "payment_intent.succeeded",
    *,
    amount: int,
    reference: str = "",
    event_id: str = "",
) -> dict[str, Any]:
    """A minimal Stripe event about a PaymentIntent, for :func:`signed_webhook`."""
    return {
        "id": event_id or f"evt_{hashlib.sha256(f'{intent_id}{kind}'.encode()).hexdigest()[:24]}",
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "livemode": False,
        "data": {
            "object": {
                "id": intent_id,
                "object": "payment_intent",
                "amount": amount,
                "currency": "gbp",
                "status": "succeeded" if kind.endswith("succeeded") else "requires_payment_method",
                "metadata": {"order_reference": reference} if reference else {},
            }
        },
    }
