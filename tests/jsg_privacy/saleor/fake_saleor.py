"""A Saleor store on 127.0.0.1 for the tests: its JWKS and the GraphQL operations the app sends.

Served over real HTTP by a threaded ``http.server`` on port 0. It signs webhook bodies exactly as
Saleor does (``saleor/core/jwt_manager.py``: RS256, detached, ``kid`` = the RFC 7638 thumbprint,
``crit: ["b64"]``) and answers each named operation with the response shapes of Saleor's schema
(``saleor/graphql/schema.graphql``), over an in-memory store of users, orders, checkouts and gift
cards. Every GraphQL call is recorded in ``calls`` as ``(operationName, variables)``.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

PAGE = 2  # Saleor allows 100; a small page makes the app follow endCursor


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def thumbprint(key: rsa.RSAPrivateKey) -> str:
    """RFC 7638: SHA-256 of the canonical JSON of the public key's required members."""
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    return (
        base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    )


def address(first: str, last: str, street: str, city: str, postcode: str, **extra: Any) -> dict:
    return {
        "firstName": first,
        "lastName": last,
        "companyName": extra.get("companyName", ""),
        "streetAddress1": street,
        "streetAddress2": extra.get("streetAddress2", ""),
        "city": city,
        "cityArea": "",
        "postalCode": postcode,
        "country": {"code": extra.get("country", "GB")},
        "countryArea": "",
        "phone": extra.get("phone", "+441632960000"),
    }


def metadata(**items: str) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in items.items()]


def connection(nodes: list[dict], after: str | None) -> dict:
    start = int(after or 0)
    page = nodes[start : start + PAGE]
    more = start + PAGE < len(nodes)
    return {
        "pageInfo": {"hasNextPage": more, "endCursor": str(start + PAGE) if more else None},
        "edges": [{"node": copy.deepcopy(node)} for node in page],
    }


class FakeSaleor:
    """One Saleor store. ``api_url`` is its GraphQL endpoint; ``sign(body)`` signs a webhook."""

    def __init__(self) -> None:
        self.key = new_key()
        self.keys = [self.key]  # served in the JWKS
        self.token = "fake-app-token-0123456789"
        self.app_id = "QXBwOjE="
        self.users: dict[str, dict] = {}  # by e-mail address
        self.orders: dict[str, dict] = {}
        self.checkouts: dict[str, dict] = {}
        self.gift_cards: dict[str, dict] = {}
        #: Address rows by id (``Address:n``): a user's, and those Saleor keeps after a deletion.
        self.addresses: dict[str, dict] = {}
        self.calls: list[tuple[str, dict]] = []
        self.jwks_fetches = 0
        self.delay = 0.0  # seconds before a GraphQL answer (a slow or hanging store)
        self.jwks_status = 200
        self.has_checkout_delete = True  # Saleor 3.23+
        self._released = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    # -- the store -------------------------------------------------------------------------

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.origin + "/graphql/"

    @property
    def kid(self) -> str:
        return thumbprint(self.key)

    def close(self) -> None:
        self._released.set()
        self.server.shutdown()
        self.server.server_close()

    def rotate(self) -> None:
        """Saleor's new signing key: served beside the old one, used from now on."""
        self.key = new_key()
        self.keys.append(self.key)

    def jwks(self) -> dict:
        keys = []
        for key in self.keys:
            jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            jwk.update({"use": "sig", "kid": thumbprint(key), "alg": "RS256"})
            keys.append(jwk)
        return {"keys": keys}

    def sign(self, body: bytes, key: rsa.RSAPrivateKey | None = None) -> str:
        """``Saleor-Signature`` as Saleor makes it (``JWTManager.jws_encode``)."""
        key = key or self.key
        return jwt.api_jws.encode(
            body,
            key,
            "RS256",
            headers={"kid": thumbprint(key), "crit": ["b64"]},
            is_payload_detached=True,
        )

    def customer_token(self, email: str, *, lifetime: int = 300, **claims: Any) -> str:
        """The access token ``tokenCreate`` gives a signed-in customer (``saleor/core/jwt.py``)."""
        now = int(time.time())
        payload = {
            "iat": now,
            "iss": self.api_url,
            "exp": now + lifetime,
            "token": "jwt-token-key",
            "email": email,
            "type": "access",
            "user_id": self.users[email]["id"] if email in self.users else "",
            "is_staff": False,
            **claims,
        }
        return jwt.encode(payload, self.key, "RS256", headers={"kid": self.kid})

    def staff_token(
        self,
        email: str = "staff@store.example.com",
        *,
        permissions: tuple[str, ...] = ("MANAGE_USERS", "MANAGE_ORDERS"),
        lifetime: int = 300,
        key: rsa.RSAPrivateKey | None = None,
        **claims: Any,
    ) -> str:
        """The app-bridge token the dashboard hands an app's page for a signed-in staff member
        (``saleor/core/jwt.py``, ``create_access_token_for_app``): ``permissions`` are the staff
        member's; the ``permissions`` claim holds those they share with the app."""
        now = int(time.time())
        app = {"MANAGE_USERS", "MANAGE_ORDERS", "MANAGE_CHECKOUTS", "MANAGE_GIFT_CARD"}
        payload = {
            "iat": now,
            "iss": self.api_url,
            "exp": now + lifetime,
            "token": "staff-jwt-token-key",
            "email": email,
            "type": "thirdparty",
            "user_id": self._id("User", 900),
            "is_staff": True,
            "app": self.app_id,
            "permissions": [p for p in permissions if p in app],
            "user_permissions": list(permissions),
            **claims,
        }
        signer = key or self.key
        return jwt.encode(payload, signer, "RS256", headers={"kid": thumbprint(signer)})

    def add_user(self, email: str, **fields: Any) -> dict:
        number = len(self.users) + 1
        user = {
            "id": base64.b64encode(f"User:{number}".encode()).decode(),
            "email": email,
            "firstName": fields.get("firstName", "Ann"),
            "lastName": fields.get("lastName", "Example"),
            "isActive": True,
            "dateJoined": "2025-01-10T10:00:00+00:00",
            "lastLogin": "2026-01-10T10:00:00+00:00",
            "languageCode": "EN_GB",
            "note": None,
            "addresses": [
                self._address_row(address("Ann", "Example", "1 High Street", "Leeds", "LS1 1AA"))
            ],
            "events": [
                {
                    "id": self._id("CustomerEvent", 10 * number + 1),
                    "date": "2025-01-10T10:00:00+00:00",
                    "type": "ACCOUNT_CREATED",
                    "message": None,
                    "count": None,
                    "order": None,
                },
            ],
            "metadata": [],
            "privateMetadata": fields.get("privateMetadata", []),
            "giftCards": [],
        }
        self.users[email] = user
        return user

    @staticmethod
    def _id(kind: str, number: Any) -> str:
        return base64.b64encode(f"{kind}:{number}".encode()).decode()

    def _address_row(self, fields: dict) -> dict:
        row = {"id": self._id("Address", len(self.addresses) + 1), **fields}
        self.addresses[row["id"]] = row
        return row

    def user(self, user_id: str) -> dict | None:
        return next((u for u in self.users.values() if u["id"] == user_id), None)

    def change_email(self, old: str, new: str) -> dict:
        """The customer changes their address (``accountUpdate``/``requestEmailChange``)."""
        user = self.users.pop(old)
        user["email"] = new
        self.users[new] = user
        for checkout in self.checkouts.values():
            if checkout.get("userId") == user["id"]:
                checkout["user"] = {"email": new}
        return user

    def delete_user(self, user_id: str) -> None:
        """Saleor deletes an account: its orders lose the user (SET_NULL) but keep its e-mail and
        address copies; its checkouts go with it (CASCADE); its address rows stay, unlinked."""
        user = self.user(user_id)
        assert user is not None
        del self.users[user["email"]]
        for order in self.orders.values():
            if (order["user"] or {}).get("id") == user_id:
                order["user"] = None
        self.checkouts = {k: c for k, c in self.checkouts.items() if c.get("userId") != user_id}

    def add_order(
        self, email: str, created: str = "2026-03-01T09:00:00+00:00", **extra: Any
    ) -> dict:
        number = len(self.orders) + 1
        order_id = base64.b64encode(f"Order:{number}".encode()).decode()
        order = {
            "id": order_id,
            "number": str(1000 + number),
            "created": created,
            "status": "FULFILLED",
            "userEmail": email,
            "user": {"id": self.users[email]["id"]} if email in self.users else None,
            "billingAddress": address(
                "Ann", "Example", "1 High Street", "Leeds", "LS1 1AA", companyName="Ann Ltd"
            ),
            "shippingAddress": address("Ann", "Example", "2 Mill Lane", "York", "YO1 7HH"),
            "total": {"gross": {"amount": 129.99, "currency": "GBP"}},
            "lines": [{"productName": "Smart meter", "variantName": "SMETS2", "quantity": 1}],
            "customerNote": extra.get("customerNote", ""),
            "events": [
                {
                    "id": self._id("OrderEvent", 10 * number + 1),
                    "date": created,
                    "type": "PLACED",
                    "message": None,
                    "email": None,
                },
                {
                    "id": self._id("OrderEvent", 10 * number + 2),
                    "date": created,
                    "type": "EMAIL_SENT",
                    "message": None,
                    "email": email,
                },
            ],
            "invoices": [
                {
                    "id": self._id("Invoice", number),
                    "number": f"INV-{number}",
                    "createdAt": created,
                    "url": f"{self.origin}/media/invoices/INV-{number}.pdf",
                    "metadata": [],
                    "privateMetadata": [],
                },
            ],
            "payments": [
                {
                    "id": self._id("Payment", number),
                    "gateway": "mirumee.payments.dummy",
                    "pspReference": f"psp_{number}",
                    "created": created,
                    "chargeStatus": "FULLY_CHARGED",
                    "total": {"amount": 129.99, "currency": "GBP"},
                    "capturedAmount": {"amount": 129.99, "currency": "GBP"},
                    # What Saleor would also give to who asks: the app never does.
                    "creditCard": {
                        "brand": "visa",
                        "lastDigits": "4242",
                        "expMonth": 12,
                        "expYear": 2030,
                    },
                },
            ],
            "transactions": [
                {
                    "id": self._id("TransactionItem", number),
                    "name": "Stripe",
                    "pspReference": f"pi_{number}",
                    "createdAt": created,
                    "authorizedAmount": {"amount": 0.0, "currency": "GBP"},
                    "chargedAmount": {"amount": 129.99, "currency": "GBP"},
                    "refundedAmount": {"amount": 0.0, "currency": "GBP"},
                },
            ],
            "metadata": [],
            "privateMetadata": extra.get("privateMetadata", []),
        }
        self.orders[order["id"]] = order
        return order

    def add_checkout(
        self,
        email: str,
        *,
        guest: bool = True,
        indexed: bool = True,
        updated: str = "2026-04-01T09:30:00+00:00",
    ) -> dict:
        """A checkout; ``indexed=False``: Saleor's scheduled indexing has not reached it yet, so
        its search does not find it (``search_index_dirty``)."""
        number = len(self.checkouts) + 1
        checkout = {
            "id": base64.b64encode(f"Checkout:{number}".encode()).decode(),
            "created": updated,
            "updatedAt": updated,
            "indexed": indexed,
            "email": email,
            "user": None if guest else {"email": email},
            "userId": None if guest else self.users[email]["id"],
            "billingAddress": address("Ann", "Example", "1 High Street", "Leeds", "LS1 1AA"),
            "shippingAddress": None,
            "lines": [
                {"quantity": 2, "variant": {"name": "100A", "product": {"name": "CT clamp"}}}
            ],
            "metadata": [],
            "privateMetadata": [],
        }
        self.checkouts[checkout["id"]] = checkout
        return checkout

    def add_gift_card(self, bought_by: str) -> dict:
        number = len(self.gift_cards) + 1
        card = {
            "id": base64.b64encode(f"GiftCard:{number}".encode()).decode(),
            "displayCode": f"ABC{number}",
            "created": "2026-02-01T09:00:00+00:00",
            "createdByEmail": bought_by,
            "assignedToEmail": None,
            "isActive": True,
            "expiryDate": None,
            "lastUsedOn": None,
            "currentBalance": {"amount": 25.0, "currency": "GBP"},
        }
        self.gift_cards[card["id"]] = card
        return card

    def mutations(self, name: str) -> list[dict]:
        return [variables for operation, variables in self.calls if operation == name]

    # -- GraphQL ---------------------------------------------------------------------------

    def answer(self, request: dict, token: str) -> dict:
        name, variables = request.get("operationName"), request.get("variables") or {}
        self.calls.append((name, variables))
        if token != self.token:  # Saleor treats an unknown token as no app at all
            return {
                "data": None,
                "errors": [
                    {
                        "message": "You need one of the following permissions: AUTHENTICATED_APP",
                        "extensions": {"exception": {"code": "PermissionDenied"}},
                    }
                ],
            }
        operation: Callable[[dict], dict] | None = getattr(self, f"op_{name}", None)
        if operation is None or (name == "CheckoutDelete" and not self.has_checkout_delete):
            return {
                "errors": [
                    {
                        "message": f'Cannot query field "{name}" on type "Mutation".',
                        "extensions": {"exception": {"code": "GraphQLError"}},
                    }
                ]
            }
        return {"data": operation(variables)}

    def op_AppId(self, v: dict) -> dict:
        return {"app": {"id": self.app_id}}

    def op_SaleorCustomer(self, v: dict) -> dict:
        user = self.users.get(v["email"])
        return {"user": {k: w for k, w in user.items() if k != "giftCards"} if user else None}

    def op_SaleorCustomerContact(self, v: dict) -> dict:
        user = self.users.get(v["email"])
        fields = ("phone", "streetAddress1", "postalCode")
        addresses = [{k: a.get(k) for k in fields} for a in user["addresses"]] if user else []
        return {"user": {"addresses": addresses} if user else None}

    def op_SaleorCustomerId(self, v: dict) -> dict:
        user = self.users.get(v["email"])
        return {"user": {"id": user["id"]} if user else None}

    def op_SaleorCustomerById(self, v: dict) -> dict:
        user = self.user(v["id"])
        return {"user": {"id": user["id"], "email": user["email"]} if user else None}

    @staticmethod
    def _order_node(order: dict) -> dict:
        # Only what the app's query selects: never ``user`` or the payments' ``creditCard``.
        node = {k: w for k, w in order.items() if k != "user"}
        node["payments"] = [
            {k: w for k, w in p.items() if k != "creditCard"} for p in order["payments"]
        ]
        return node

    def op_SaleorOrders(self, v: dict) -> dict:
        # where: {userEmail: {oneOf: …}} is exact (StringFilterInput), like Saleor's.
        found = [self._order_node(o) for o in self.orders.values() if o["userEmail"] in v["emails"]]
        return {"orders": connection(found, v.get("after"))}

    def op_SaleorUserOrders(self, v: dict) -> dict:
        found = [
            self._order_node(o)
            for o in self.orders.values()
            if (o["user"] or {}).get("id") in v["users"]
        ]
        return {"orders": connection(found, v.get("after"))}

    @staticmethod
    def _checkout_node(checkout: dict) -> dict:
        return {k: w for k, w in checkout.items() if k not in ("indexed", "userId")}

    def op_SaleorRecentCheckouts(self, v: dict) -> dict:
        # filter: {updatedAt: {gte: <date>}} compares the day of ``last_change``.
        found = [
            self._checkout_node(c)
            for c in self.checkouts.values()
            if c["updatedAt"][:10] >= v["since"]
        ]
        return {"checkouts": connection(found, v.get("after"))}

    def op_SaleorUserCheckouts(self, v: dict) -> dict:
        user = self.user(v["id"])
        if user is None:
            return {"user": None}
        found = [self._checkout_node(c) for c in self.checkouts.values() if c["userId"] == v["id"]]
        return {"user": {"checkouts": connection(found, v.get("after"))}}

    def op_AddressDelete(self, v: dict) -> dict:
        if v["id"] not in self.addresses:
            return {"addressDelete": {"errors": [{"field": "id", "code": "NOT_FOUND"}]}}
        del self.addresses[v["id"]]
        for user in self.users.values():
            user["addresses"] = [a for a in user["addresses"] if a["id"] != v["id"]]
        return {"addressDelete": {"errors": []}}

    def op_SaleorOrder(self, v: dict) -> dict:
        return {"order": copy.deepcopy(self.orders.get(v["id"]))}

    def op_SaleorCheckouts(self, v: dict) -> dict:
        term = v["search"].lower()
        found = [
            self._checkout_node(c)
            for c in self.checkouts.values()
            if c["indexed"]  # only what the scheduled indexing reached
            and (
                term in (c["email"] or "").lower() or term in ((c["user"] or {}).get("email") or "")
            )
        ]
        return {"checkouts": connection(found, v.get("after"))}

    def op_SaleorGiftCards(self, v: dict) -> dict:
        found = [c for c in self.gift_cards.values() if c["createdByEmail"] == v["email"]]
        return {"giftCards": connection(found, v.get("after"))}

    def op_SaleorCustomerGiftCards(self, v: dict) -> dict:
        user = self.users.get(v["email"])
        cards = [self.gift_cards[i] for i in user["giftCards"]] if user else []
        return {"user": {"giftCards": connection(cards, v.get("after"))} if user else None}

    def op_OrderPseudonymise(self, v: dict) -> dict:
        order = self.orders[v["id"]]
        update = v["input"]
        order["userEmail"] = update["userEmail"]
        for kind in ("billingAddress", "shippingAddress"):
            if kind in update:
                fields = {k: w for k, w in update[kind].items() if k != "skipValidation"}
                order[kind] = {**fields, "country": {"code": fields["country"]}}
        return {"orderUpdate": {"errors": []}}

    def _with_metadata(self, object_id: str) -> dict:
        for table in (self.orders, self.checkouts):
            if object_id in table:
                return table[object_id]
        return next(u for u in self.users.values() if u["id"] == object_id)

    def op_PrivateMetadataDelete(self, v: dict) -> dict:
        item = self._with_metadata(v["id"])
        item["privateMetadata"] = [m for m in item["privateMetadata"] if m["key"] not in v["keys"]]
        return {"deletePrivateMetadata": {"errors": []}}

    def op_PrivateMetadataUpdate(self, v: dict) -> dict:
        item = self._with_metadata(v["id"])
        given = {m["key"]: m["value"] for m in v["input"]}
        kept = [m for m in item["privateMetadata"] if m["key"] not in given]
        item["privateMetadata"] = kept + metadata(**given)
        return {"updatePrivateMetadata": {"errors": []}}

    def op_CheckoutPseudonymise(self, v: dict) -> dict:
        self.checkouts[v["id"]]["email"] = v["email"]
        return {"checkoutEmailUpdate": {"errors": []}}

    def _checkout_address(self, v: dict, kind: str) -> None:
        if "skipValidation" in v["address"]:  # a checkout's mutations take validationRules
            raise AssertionError("skipValidation sent to a checkout mutation")
        fields = dict(v["address"])
        self.checkouts[v["id"]][kind] = {**fields, "country": {"code": fields["country"]}}

    def op_CheckoutBillingAddressErase(self, v: dict) -> dict:
        self._checkout_address(v, "billingAddress")
        return {"checkoutBillingAddressUpdate": {"errors": []}}

    def op_CheckoutShippingAddressErase(self, v: dict) -> dict:
        self._checkout_address(v, "shippingAddress")
        return {"checkoutShippingAddressUpdate": {"errors": []}}

    def op_CheckoutDelete(self, v: dict) -> dict:
        self.checkouts.pop(v["id"])
        return {"checkoutDelete": {"errors": []}}

    def op_CustomerDelete(self, v: dict) -> dict:
        self.delete_user(v["id"])
        return {"customerDelete": {"errors": []}}

    # -- HTTP ------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        store = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, payload: Any) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path != "/.well-known/jwks.json":
                    return self._send(404, {})
                store.jwks_fetches += 1
                if store.jwks_status != 200:
                    return self._send(store.jwks_status, {})
                return self._send(200, store.jwks())

            def do_POST(self) -> None:
                if self.path != "/graphql/":
                    return self._send(404, {})
                request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if store.delay:
                    store._released.wait(store.delay)
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                # The app may have given up waiting (a timeout test): nobody reads the answer.
                answer = store.answer(request, token)
                # Real Saleor answers a document its schema rejects with HTTP 400.
                invalid = "data" not in answer
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._send(400 if invalid else 200, answer)

        return Handler
