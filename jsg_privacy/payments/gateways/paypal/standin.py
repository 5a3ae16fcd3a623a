"""A local PayPal stand-in: the REST calls the PayPal gateway makes, in PayPal's documented shapes.

PayPal's sandbox cannot be reached from a test run, and PyPI has no PayPal stand-in, so this small
server answers what the gateway uses, as PayPal documents it:

- ``POST /v1/oauth2/token`` (HTTP Basic with the client id and secret, ``grant_type=
  client_credentials``) → ``{"access_token", "token_type": "Bearer", "expires_in"}``;
- ``POST /v2/checkout/orders`` (``intent: CAPTURE``, ``purchase_units[0].amount``,
  ``reference_id``, ``custom_id``; ``PayPal-Request-Id`` makes it idempotent) → ``CREATED``;
- ``GET /v2/checkout/orders/{id}``; ``POST /v2/checkout/orders/{id}/capture`` → ``COMPLETED`` with
  ``purchase_units[0].payments.captures[0]``, or 422 ``ORDER_NOT_APPROVED`` /
  ``INSTRUMENT_DECLINED``;
- ``POST /v2/payments/captures/{id}/refund``;
- ``POST /v1/notifications/verify-webhook-signature`` → ``{"verification_status": "SUCCESS" |
  "FAILURE"}``: the webhooks it sends (``CHECKOUT.ORDER.APPROVED``, ``PAYMENT.CAPTURE.COMPLETED``)
  carry PayPal's ``PAYPAL-TRANSMISSION-*`` headers, signed SHA256withRSA over ``<transmission id>|<time>|
  <webhook id>|<CRC32 of the body>`` with a key made at start-up, and only it can verify them;
- ``DELETE /v3/vault/payment-tokens/{id}`` → 204, or 404 when it has no such token;
- ``GET /sdk/js`` → a stand-in for PayPal's JavaScript SDK: ``paypal.Buttons({createOrder,
  onApprove, onCancel, onError}).render(selector)`` draws a *PayPal* button; clicking it creates the
  order through ``createOrder`` and shows a box where the buyer approves or cancels, as PayPal's
  pop-up would.

What the buyer does at PayPal is one call, ``POST /_standin/orders/{id}/approve`` (``payer`` "ok"
or "declined": a declined funding source makes the capture fail). For tests, ``POST /_standin/sign``
signs an event as PayPal would (``{"event": {...}}`` → ``{"body", "headers"}``), ``POST
/_standin/webhook`` sets where events go, and ``POST /_standin/vault`` makes a vault token. Run it with ``python -m
jsg_privacy.payments.gateways.paypal.standin --port 8430 --webhook <shop>/privacy/payments/webhook/
paypal/``; the first line printed is ``paypal stand-in listening on <url>``. It listens on
127.0.0.1 only and keeps nothing on disk.
"""

from __future__ import annotations

import argparse
import base64
import json
import secrets
import threading
import urllib.request
import zlib
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

HOST = "127.0.0.1"
DEFAULT_PORT = 8430
CLIENT_ID = "paypal-standin-client"
CLIENT_SECRET = "paypal-standin-secret"  # noqa: S105 (public: the stand-in's own)
WEBHOOK_ID = "WH-STANDIN"
SDK_JS = Path(__file__).with_name("standin-sdk.js")


class State:
    """Everything the stand-in knows, in memory."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tokens: set[str] = set()
        self.orders: dict[str, dict[str, Any]] = {}
        self.requests: dict[str, str] = {}  # PayPal-Request-Id -> order id
        self.captures: dict[str, str] = {}  # capture id -> order id
        self.vault: set[str] = set()
        self.webhook_url = ""
        self.webhook_id = WEBHOOK_ID
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _id(prefix: str = "") -> str:
    return prefix + secrets.token_hex(8).upper()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_string(transmission_id: str, time: str, webhook_id: str, body: bytes) -> bytes:
    """What PayPal signs: ``<transmission id>|<time>|<webhook id>|<CRC32 of the body>``."""
    return f"{transmission_id}|{time}|{webhook_id}|{zlib.crc32(body)}".encode()


class Handler(BaseHTTPRequestHandler):
    state: State

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: tests read the shop's logs, not the stand-in's

    # -- plumbing ------------------------------------------------------------------------------

    def _port(self) -> int:
        address = self.server.server_address
        return int(address[1]) if isinstance(address, tuple) else DEFAULT_PORT

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _json(self) -> Any:
        try:
            return json.loads(self._body() or b"{}")
        except ValueError:
            return None

    def _send(
        self, status: int, payload: Any = None, content_type: str = "application/json"
    ) -> None:
        body = (
            b""
            if payload is None
            else (payload if isinstance(payload, bytes) else json.dumps(payload).encode())
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        origin = self.headers.get("Origin")
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, name: str, issue: str = "") -> None:
        details = [{"issue": issue or name, "description": name}]
        self._send(status, {"name": name, "message": name, "details": details})

    def _authorised(self) -> bool:
        scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
        if scheme == "Bearer" and token in self.state.tokens:
            return True
        self._error(401, "AUTHENTICATION_FAILURE")
        return False

    # -- routes --------------------------------------------------------------------------------

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/sdk/js":
            script = SDK_JS.read_text().replace("__STANDIN__", f"http://{HOST}:{self._port()}")
            self._send(200, script.encode(), "application/javascript")
        elif path.startswith("/v2/checkout/orders/") and self._authorised():
            order = self.state.orders.get(path.rsplit("/", 1)[1])
            self._send(200, order) if order else self._error(404, "RESOURCE_NOT_FOUND")
        elif not path.startswith("/v2/"):
            self._error(404, "NOT_FOUND")

    def do_DELETE(self) -> None:
        path = urlsplit(self.path).path
        if path.startswith("/v3/vault/payment-tokens/") and self._authorised():
            token = path.rsplit("/", 1)[1]
            with self.state.lock:
                found = token in self.state.vault
                self.state.vault.discard(token)
            self._send(204) if found else self._error(404, "RESOURCE_NOT_FOUND")

    def do_OPTIONS(self) -> None:
        self._send(204)

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        parts = path.strip("/").split("/")
        if path == "/v1/oauth2/token":
            self._token()
        elif path == "/_standin/webhook":
            settings = self._json() or {}
            self.state.webhook_url = str(settings.get("url", ""))
            self.state.webhook_id = str(settings.get("webhook_id", WEBHOOK_ID))
            self._send(200, {"url": self.state.webhook_url})
        elif path == "/_standin/sign":
            data = self._json() or {}
            body, headers = sign(
                self.state, data.get("event") or {}, str(data.get("webhook_id", ""))
            )
            self._send(200, {"body": body.decode(), "headers": headers})
        elif path == "/_standin/vault":
            token = _id("VT-")
            self.state.vault.add(token)
            self._send(201, {"id": token})
        elif parts[:2] == ["_standin", "orders"] and len(parts) == 4 and parts[3] == "approve":
            self._approve(parts[2])
        elif path == "/v1/notifications/verify-webhook-signature":
            if self._authorised():
                self._verify()
        elif path == "/v2/checkout/orders":
            if self._authorised():
                self._create()
        elif (
            parts[:3] == ["v2", "checkout", "orders"] and len(parts) == 5 and parts[4] == "capture"
        ):
            if self._authorised():
                self._capture(parts[3])
        elif (
            parts[:3] == ["v2", "payments", "captures"] and len(parts) == 5 and parts[4] == "refund"
        ):
            if self._authorised():
                self._refund(parts[3])
        else:
            self._error(404, "NOT_FOUND")

    def _token(self) -> None:
        scheme, _, encoded = (self.headers.get("Authorization") or "").partition(" ")
        given = (
            base64.b64decode(encoded or b"").decode(errors="replace") if scheme == "Basic" else ""
        )
        form = parse_qs(self._body().decode())
        if given != f"{CLIENT_ID}:{CLIENT_SECRET}" or form.get("grant_type") != [
            "client_credentials"
        ]:
            self._send(
                401,
                {"error": "invalid_client", "error_description": "Client Authentication failed"},
            )
            return
        token = _id("A21AA")
        self.state.tokens.add(token)
        self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": 32400})

    def _create(self) -> None:
        data = self._json()
        try:
            unit = data["purchase_units"][0]
            amount = unit["amount"]
            valid = data["intent"] == "CAPTURE" and len(amount["currency_code"]) == 3
            if not (valid and float(amount["value"]) > 0):
                raise ValueError(amount)
        except (TypeError, KeyError, IndexError, ValueError):
            self._error(400, "INVALID_REQUEST", "MALFORMED_REQUEST_JSON")
            return
        request_id = self.headers.get("PayPal-Request-Id", "")
        with self.state.lock:
            if request_id and request_id in self.state.requests:
                self._send(200, self.state.orders[self.state.requests[request_id]])
                return
            order_id = _id()
            base = f"http://{HOST}:{self._port()}"
            self.state.orders[order_id] = {
                "id": order_id,
                "intent": "CAPTURE",
                "status": "CREATED",
                "create_time": _now(),
                "purchase_units": [
                    {
                        "reference_id": unit.get("reference_id", "default"),
                        "custom_id": unit.get("custom_id", ""),
                        "amount": {
                            "currency_code": amount["currency_code"],
                            "value": amount["value"],
                        },
                    }
                ],
                "links": [
                    {
                        "href": f"{base}/v2/checkout/orders/{order_id}",
                        "rel": "self",
                        "method": "GET",
                    },
                    {
                        "href": f"{base}/checkoutnow?token={order_id}",
                        "rel": "approve",
                        "method": "GET",
                    },
                ],
            }
            if request_id:
                self.state.requests[request_id] = order_id
        self._send(201, self.state.orders[order_id])

    def _approve(self, order_id: str) -> None:
        data = self._json() or {}
        with self.state.lock:
            order = self.state.orders.get(order_id)
            if order is None or order["status"] not in ("CREATED", "APPROVED"):
                self._error(422, "UNPROCESSABLE_ENTITY", "ORDER_NOT_APPROVABLE")
                return
            order["status"] = "APPROVED"
            order["_declined"] = data.get("payer") == "declined"
            order["payer"] = {"payer_id": _id("PAYER"), "email_address": "buyer@standin.invalid"}
            resource = {key: value for key, value in order.items() if not key.startswith("_")}
        self._send(200, {"id": order_id, "status": "APPROVED"})
        self._notify("CHECKOUT.ORDER.APPROVED", resource)

    def _capture(self, order_id: str) -> None:
        with self.state.lock:
            order = self.state.orders.get(order_id)
            if order is None:
                self._error(404, "RESOURCE_NOT_FOUND")
                return
            if order["status"] == "COMPLETED":
                self._error(422, "UNPROCESSABLE_ENTITY", "ORDER_ALREADY_CAPTURED")
                return
            if order["status"] != "APPROVED":
                self._error(422, "UNPROCESSABLE_ENTITY", "ORDER_NOT_APPROVED")
                return
            if order.pop("_declined", False):
                order["status"] = "CREATED"  # the buyer may choose another funding source
                self._error(422, "UNPROCESSABLE_ENTITY", "INSTRUMENT_DECLINED")
                return
            unit = order["purchase_units"][0]
            capture = {
                "id": _id("CAP"),
                "status": "COMPLETED",
                "amount": dict(unit["amount"]),
                "custom_id": unit["custom_id"],
                "create_time": _now(),
                "supplementary_data": {"related_ids": {"order_id": order_id}},
            }
            unit["payments"] = {"captures": [capture]}
            order["status"] = "COMPLETED"
            self.state.captures[capture["id"]] = order_id
        self._send(201, order)
        self._notify("PAYMENT.CAPTURE.COMPLETED", capture)

    def _refund(self, capture_id: str) -> None:
        data = self._json() or {}
        order_id = self.state.captures.get(capture_id)
        if order_id is None:
            self._error(404, "RESOURCE_NOT_FOUND")
            return
        captured = self.state.orders[order_id]["purchase_units"][0]["payments"]["captures"][0]
        if captured["status"] == "REFUNDED":
            self._error(422, "UNPROCESSABLE_ENTITY", "CAPTURE_FULLY_REFUNDED")
            return
        captured["status"] = "REFUNDED"
        amount = data.get("amount") or captured["amount"]
        self._send(201, {"id": _id("REF"), "status": "COMPLETED", "amount": amount})

    def _verify(self) -> None:
        data = self._json() or {}
        try:
            body = json.dumps(data["webhook_event"], separators=(",", ":")).encode()
            signed = signed_string(
                data["transmission_id"], data["transmission_time"], data["webhook_id"], body
            )
            self.state.key.public_key().verify(
                base64.b64decode(data["transmission_sig"]),
                signed,
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
            ok = (
                data["webhook_id"] == self.state.webhook_id and data["auth_algo"] == "SHA256withRSA"
            )
        except Exception:
            ok = False
        self._send(200, {"verification_status": "SUCCESS" if ok else "FAILURE"})

    def _notify(self, kind: str, resource: dict[str, Any]) -> None:
        if not self.state.webhook_url:
            return
        event = {
            "id": _id("WH-"),
            "event_version": "1.0",
            "create_time": _now(),
            "resource_type": "checkout-order" if kind.startswith("CHECKOUT.") else "capture",
            "event_type": kind,
            "resource": resource,
        }
        body, headers = sign(self.state, event)
        request = urllib.request.Request(self.state.webhook_url, body, headers)  # noqa: S310
        threading.Thread(target=_deliver, args=(request,), daemon=True).start()


def sign(state: State, event: dict[str, Any], webhook_id: str = "") -> tuple[bytes, dict[str, str]]:
    """A webhook body and PayPal's transmission headers, signed by this stand-in's key."""
    body = json.dumps(event, separators=(",", ":")).encode()
    transmission_id, time = secrets.token_hex(16), _now()
    signed = signed_string(transmission_id, time, webhook_id or state.webhook_id, body)
    signature = state.key.sign(signed, padding.PKCS1v15(), hashes.SHA256())
    headers = {
        "Content-Type": "application/json",
        "PAYPAL-TRANSMISSION-ID": transmission_id,
        "PAYPAL-TRANSMISSION-TIME": time,
        "PAYPAL-TRANSMISSION-SIG": base64.b64encode(signature).decode(),
        "PAYPAL-CERT-URL": f"http://{HOST}/standin-cert.pem",
        "PAYPAL-AUTH-ALGO": "SHA256withRSA",
    }
    return body, headers


def _deliver(request: urllib.request.Request) -> None:
    try:
        urllib.request.urlopen(request, timeout=10).close()  # noqa: S310 (the shop's own URL)
    except OSError:
        return  # PayPal would retry; the shop's confirmation pays the order anyway


def make_server(
    port: int = DEFAULT_PORT, webhook_url: str = ""
) -> tuple[ThreadingHTTPServer, State]:
    state = State()
    state.webhook_url = webhook_url
    handler = type("BoundHandler", (Handler,), {"state": state})
    return ThreadingHTTPServer((HOST, port), handler), state


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jsg_privacy.payments.gateways.paypal.standin")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--webhook", default="", help="URL to POST PAYMENT.CAPTURE.* events to")
    args = parser.parse_args(argv)
    server, _state = make_server(args.port, args.webhook)
    print(f"paypal stand-in listening on http://{HOST}:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
