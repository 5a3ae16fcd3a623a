"""The PayPal gateway's test double: the local PayPal stand-in, run for a test session.

    from jsg_privacy.payments.gateways.paypal import testing as paypal_testing

    @pytest.fixture
    def paypal(settings):
        server = paypal_testing.local_paypal()  # started once per run, stopped at exit
        settings.JSG_PRIVACY_PAYPAL = server.settings()
        return server

    def test_pays(client, paypal):
        order_id = client.post(prepare_url).json()["intent_id"]  # the buttons' createOrder
        paypal.approve(order_id)                                  # the buyer, at PayPal
        client.post(confirm_url)                                  # onApprove: the shop captures

Django runs tests with ``DEBUG`` off, where the stand-in is refused: ``settings()`` says
``"local_for_tests": True`` (``check --deploy`` refuses it, ``jsg_privacy.E068``).
"""

from __future__ import annotations

from typing import Any

from jsg_privacy.payments.gateways.paypal import standin
from jsg_privacy.payments.testing import StandIn, running


class LocalPayPal(StandIn):
    """A PayPal stand-in process of this test run."""

    module = standin.__name__
    banner = "paypal stand-in listening on"

    def settings(self) -> dict[str, Any]:
        """A ``JSG_PRIVACY_PAYPAL`` value that points the PayPal gateway here, for a test suite."""
        return {"api_base": self.url, "local_for_tests": True}

    def approve(self, order_id: str, payer: str = "ok") -> Any:
        """The buyer approves the order at PayPal (``payer="declined"``: with a funding source
        that PayPal then declines at capture)."""
        return self.post(f"/_standin/orders/{order_id}/approve", {"payer": payer})

    def signed_webhook(
        self, event: dict[str, Any], webhook_id: str = ""
    ) -> tuple[bytes, dict[str, str]]:
        """``(body, headers)`` of a webhook the stand-in signed as PayPal does."""
        signed = self.post("/_standin/sign", {"event": event, "webhook_id": webhook_id})
        return signed["body"].encode(), signed["headers"]

    def send_webhooks_to(self, url: str) -> None:
        self.post("/_standin/webhook", {"url": url})

    def vault_token(self) -> str:
        """A payment token in the stand-in's vault, as PayPal keeps one for a saved account."""
        return str(self.post("/_standin/vault", {})["id"])


def local_paypal() -> LocalPayPal:
    """The PayPal stand-in of this process, started on first use and stopped when Python exits."""
    return running(LocalPayPal)


def capture_completed(
    order_id: str, amount: str, currency: str = "GBP", **extra: Any
) -> dict[str, Any]:
    """A ``PAYMENT.CAPTURE.COMPLETED`` event, as PayPal sends it, for
    :meth:`LocalPayPal.signed_webhook`."""
    return {
        "id": extra.pop("event_id", "WH-TEST-1"),
        "event_version": "1.0",
        "event_type": "PAYMENT.CAPTURE.COMPLETED",
        "resource_type": "capture",
        "resource": {
            "id": "CAPTEST",
            "status": "COMPLETED",
            "amount": {"currency_code": currency, "value": amount},
            "custom_id": extra.pop("reference", ""),
            "supplementary_data": {"related_ids": {"order_id": order_id}},
        },
    }
