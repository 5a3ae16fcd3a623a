"""A local Opayo Pi stand-in: the REST calls the Opayo gateway makes, in Elavon's documented shapes.

Opayo's sandbox cannot be reached from a test run and PyPI has no Opayo stand-in, so this server
answers, as Opayo Pi documents them (HTTP Basic with the integration key and password):

- ``POST /api/v1/merchant-session-keys`` (``{"vendorName"}``) → ``{"merchantSessionKey",
  "expiry"}``: valid 400 seconds and for 3 card tokenisations;
- ``POST /api/v1/card-identifiers`` (``Authorization: Bearer <merchant session key>``,
  ``{"cardDetails": {"cardholderName", "cardNumber", "expiryDate", "securityCode"}}``) →
  ``{"cardIdentifier", "expiry", "cardType"}``: what the drop-in checkout does in the browser;
- ``POST /api/v1/transactions``: ``transactionType`` ``Payment`` (``paymentMethod.card``
  ``{merchantSessionKey, cardIdentifier}``, ``vendorTxCode``, ``amount`` in minor units,
  ``currency``, ``description``, ``customerFirstName``, ``customerLastName``, ``billingAddress``)
  → 201 ``{"transactionId", "status": "Ok" | "NotAuthed" | "Rejected", "statusCode",
  "statusDetail", "amount", "paymentMethod": {"card": {"cardType", "lastFourDigits",
  "expiryDate"}}}``; ``Refund`` (``referenceTransactionId``, ``amount``); a ``vendorTxCode`` used
  before answers 422;
- ``GET /api/v1/transactions/{id}``;
- ``GET /api/v1/js/sagepay.js``: a stand-in for the drop-in checkout script,
  ``sagepayCheckout({merchantSessionKey, containerSelector, onTokenise}).form()`` and
  ``.tokenise()``.

Test cards: ``4929000000006`` (Visa) and ``5404000000000001`` (Mastercard) are authorised;
``4929000000014`` is not (``NotAuthed``, status code 2000). It listens on 127.0.0.1 only and keeps
nothing on disk: ``python -m jsg_privacy.payments.gateways.opayo.standin --port 8440``.
"""

from __future__ import annotations

import argparse
import base64
import json
import secrets
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HOST = "127.0.0.1"
DEFAULT_PORT = 8440
INTEGRATION_KEY = "opayo-standin-key"
INTEGRATION_PASSWORD = "opayo-standin-password"  # noqa: S105 (public: the stand-in's own)
VENDOR = "standinvendor"
SESSION_SECONDS = 400
DECLINED = "4929000000014"
CARD_TYPES = {"4": "Visa", "5": "MasterCard", "3": "AmericanExpress"}
REQUIRED = ("customerFirstName", "customerLastName", "billingAddress", "vendorTxCode", "amount")
DROP_IN_JS = Path(__file__).with_name("standin-dropin.js")


class State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sessions: dict[str, dict[str, Any]] = {}  # key -> {expires, uses}
        self.cards: dict[str, dict[str, Any]] = {}  # card identifier -> {number, expiry, msk}
        self.transactions: dict[str, dict[str, Any]] = {}
        self.vendor_codes: set[str] = set()


def _new_id() -> str:
    return str(uuid.uuid4()).upper()


def luhn(number: str) -> bool:
    digits = [int(digit) for digit in number][::-1]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * digit, 10)) for digit in digits[1::2])
    return total % 10 == 0


class Handler(BaseHTTPRequestHandler):
    state: State

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _json(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            return json.loads(self.rfile.read(length) or b"{}") if length else {}
        except ValueError:
            return None

    def _send(self, status: int, payload: Any, content_type: str = "application/json") -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.headers.get("Origin"):
            self.send_header("Access-Control-Allow-Origin", self.headers["Origin"])
            self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, code: int, description: str, prop: str = "") -> None:
        error = {"code": code, "description": description}
        if prop:
            error["property"] = prop
        self._send(status, {"errors": [error]} if status == 422 else {**error, "statusCode": code})

    def _integration(self) -> bool:
        scheme, _, encoded = (self.headers.get("Authorization") or "").partition(" ")
        given = (
            base64.b64decode(encoded or b"").decode(errors="replace") if scheme == "Basic" else ""
        )
        if given == f"{INTEGRATION_KEY}:{INTEGRATION_PASSWORD}":
            return True
        self._error(401, 1002, "Authentication failed")
        return False

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin", "*"))
        self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
        self.send_header("Access-Control-Allow-Methods", "POST, GET")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/api/v1/js/sagepay.js":
            port = (
                self.server.server_address[1]
                if isinstance(self.server.server_address, tuple)
                else DEFAULT_PORT
            )
            script = DROP_IN_JS.read_text().replace("__STANDIN__", f"http://{HOST}:{port}/api/v1")
            self._send(200, script.encode(), "application/javascript")
        elif path.startswith("/api/v1/transactions/") and self._integration():
            found = self.state.transactions.get(path.rsplit("/", 1)[1])
            if found is None:
                self._error(404, 1012, "Transaction not found")
            else:
                self._send(200, found)
        elif not path.startswith("/api/v1/transactions/"):
            self._error(404, 1000, "Not found")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path == "/api/v1/merchant-session-keys":
            if self._integration():
                self._session_key()
        elif path == "/api/v1/card-identifiers":
            self._card_identifier()
        elif path == "/api/v1/transactions":
            if self._integration():
                self._transaction()
        else:
            self._error(404, 1000, "Not found")

    def _session_key(self) -> None:
        data = self._json() or {}
        if data.get("vendorName") != VENDOR:
            self._error(422, 1009, "The vendorName is invalid", "vendorName")
            return
        key = _new_id()
        with self.state.lock:
            self.state.sessions[key] = {"expires": time.time() + SESSION_SECONDS, "uses": 0}
        expiry = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + SESSION_SECONDS))
        self._send(201, {"merchantSessionKey": key, "expiry": expiry})

    def _valid_session(self, key: str) -> bool:
        session = self.state.sessions.get(key)
        return session is not None and session["expires"] > time.time() and session["uses"] < 3

    def _card_identifier(self) -> None:
        scheme, _, key = (self.headers.get("Authorization") or "").partition(" ")
        data = self._json() or {}
        card = data.get("cardDetails") or {}
        with self.state.lock:
            if scheme != "Bearer" or not self._valid_session(key):
                self._error(401, 1002, "Authentication values are missing or invalid")
                return
            self.state.sessions[key]["uses"] += 1
            number = str(card.get("cardNumber", "")).replace(" ", "")
            expiry = str(card.get("expiryDate", ""))
            if not (number.isdigit() and 12 <= len(number) <= 19 and luhn(number)):
                self._error(422, 1002, "The card number is invalid", "cardDetails.cardNumber")
                return
            if not (expiry.isdigit() and len(expiry) == 4 and 1 <= int(expiry[:2]) <= 12):
                self._error(422, 1003, "The expiry date is invalid", "cardDetails.expiryDate")
                return
            identifier = _new_id()
            card_type = CARD_TYPES.get(number[0], "Visa")
            self.state.cards[identifier] = {
                "last4": number[-4:],
                "expiry": expiry,
                "type": card_type,
                "declined": number == DECLINED,
                "msk": key,
            }
        self._send(201, {"cardIdentifier": identifier, "expiry": key, "cardType": card_type})

    def _transaction(self) -> None:
        data = self._json()
        if not isinstance(data, dict):
            self._error(422, 1001, "Malformed JSON")
            return
        kind = data.get("transactionType")
        if kind == "Refund":
            self._refund(data)
            return
        missing = [name for name in REQUIRED if not data.get(name)]
        address = data.get("billingAddress") or {}
        missing += [
            f"billingAddress.{n}" for n in ("address1", "city", "country") if not address.get(n)
        ]
        if kind != "Payment" or missing:
            self._error(422, 1003, "Missing mandatory field", (missing or ["transactionType"])[0])
            return
        card_ref = (data.get("paymentMethod") or {}).get("card") or {}
        with self.state.lock:
            card = self.state.cards.get(str(card_ref.get("cardIdentifier", "")))
            if card is None or card["msk"] != card_ref.get("merchantSessionKey"):
                self._error(422, 1009, "The card identifier is invalid", "cardIdentifier")
                return
            if data["vendorTxCode"] in self.state.vendor_codes:
                self._error(422, 4020, "The VendorTxCode has been used before", "vendorTxCode")
                return
            self.state.vendor_codes.add(data["vendorTxCode"])
            del self.state.cards[card_ref["cardIdentifier"]]  # single use
            declined = card["declined"]
            transaction_id = _new_id()
            transaction: dict[str, Any] = {
                "transactionId": transaction_id,
                "transactionType": "Payment",
                "status": "NotAuthed" if declined else "Ok",
                "statusCode": "2000" if declined else "0000",
                "statusDetail": "The Authorisation was Declined by the bank."
                if declined
                else "The Authorisation was Successful.",
                "retrievalReference": secrets.randbelow(10**8),
                "bankAuthorisationCode": "" if declined else "999777",
                "amount": {"totalAmount": int(data["amount"]), "saleAmount": int(data["amount"])},
                "currency": str(data.get("currency", "GBP")),
                "paymentMethod": {
                    "card": {
                        "cardType": card["type"],
                        "lastFourDigits": card["last4"],
                        "expiryDate": card["expiry"],
                    }
                },
                "_refunded": False,
            }
            self.state.transactions[transaction_id] = transaction
        self._send(201, transaction)

    def _refund(self, data: dict[str, Any]) -> None:
        with self.state.lock:
            original = self.state.transactions.get(str(data.get("referenceTransactionId", "")))
            if original is None or original["status"] != "Ok":
                self._error(
                    422, 1012, "The referenceTransactionId is invalid", "referenceTransactionId"
                )
                return
            if (
                original["_refunded"]
                or int(data.get("amount", 0)) > original["amount"]["totalAmount"]
            ):
                self._error(
                    422, 4035, "This refund would exceed the amount of the original transaction"
                )
                return
            original["_refunded"] = True
            refund_id = _new_id()
            refund: dict[str, Any] = {
                "transactionId": refund_id,
                "transactionType": "Refund",
                "status": "Ok",
                "statusCode": "0000",
                "statusDetail": "The Authorisation was Successful.",
                "amount": {"totalAmount": int(data["amount"])},
            }
            self.state.transactions[refund_id] = refund
        self._send(201, refund)


def make_server(port: int = DEFAULT_PORT) -> tuple[ThreadingHTTPServer, State]:
    state = State()
    handler = type("BoundHandler", (Handler,), {"state": state})
    return ThreadingHTTPServer((HOST, port), handler), state


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jsg_privacy.payments.gateways.opayo.standin")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    args = parser.parse_args(argv)
    server, _state = make_server(args.port)
    print(f"opayo stand-in listening on http://{HOST}:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
