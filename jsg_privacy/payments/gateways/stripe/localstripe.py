"""Run localstripe, the local Stripe stand-in, on 127.0.0.1 with a private state file.

localstripe's own command line listens on every interface and keeps its state in one hard-coded file,
``/tmp/localstripe.pickle``, shared by every instance on the machine. This wrapper runs the same aiohttp
application bound to the loopback interface only, with the state in a file of your choosing::

    python -m jsg_privacy.payments.gateways.stripe.localstripe --port 8420 --state .venv/localstripe.pickle \\
        --webhook http://127.0.0.1:8000/privacy/payments/webhook/stripe/ --webhook-secret whsec_local

``--port 0`` picks a free port. The first line printed is ``localstripe listening on <url>``, so a
test fixture can start it and read where it listens. Its Stripe.js shim is served at
``<url>/js.stripe.com/v3/``. localstripe is GPL-licensed and a development tool: it runs in its own
process and is never imported by the app itself.

**Client-side confirmation.** Stripe.js confirms a PaymentIntent in the browser with the
publishable key and the intent's client secret: ``stripe.confirmCardPayment(clientSecret,
{payment_method: {card: cardElement}})`` creates a PaymentMethod from the card and confirms the
intent with it. localstripe 1.15's shim ignores the card there (it only shows its 3-D Secure box),
refuses the publishable key on ``POST /v1/payment_methods`` and answers 500 to ``confirm`` with a
``payment_method``. This wrapper adds exactly those two calls as Stripe documents them — a
PaymentMethod created with ``key=pk_…``, and ``POST /v1/payment_intents/{id}/confirm`` with
``key``, ``client_secret`` and ``payment_method`` — and a few lines of script that make the shim's
``confirmCardPayment`` use them (:data:`CLIENT_CONFIRMATION_JS`). 3-D Secure then goes on in
localstripe's own box, as before.
"""

from __future__ import annotations

import argparse
import logging
import os
import pickle
import re
import socket
import sys
import tempfile
from pathlib import Path
from types import MethodType
from typing import Any

HOST = "127.0.0.1"
#: Keys localstripe accepts: any ``sk_``/``pk_`` key works; these name themselves as local and are
#: worthless anywhere else.
SECRET_KEY = "sk_test_localstripe"  # noqa: S105
PUBLISHABLE_KEY = "pk_test_localstripe"
WEBHOOK_SECRET = "whsec_localstripe"  # noqa: S105
DEFAULT_PORT = 8420
#: The ``JSG_PRIVACY_STRIPE`` key a test suite sets to pay through localstripe with DEBUG off (Django
#: runs tests so); ``check --deploy`` refuses it (jsg_privacy.E019).
LOCAL_FOR_TESTS = "local_for_tests"
#: What the shop's webhook handles; localstripe would otherwise POST every customer and card event.
WEBHOOK_EVENTS = ("payment_intent.succeeded", "payment_intent.payment_failed")


def use_state_file(store: Any, path: Path) -> None:
    """Make localstripe's store load from and save to ``path`` (written atomically, mode 0600)."""

    def load(self: Any) -> None:
        try:
            with path.open("rb") as handle:
                saved = pickle.load(handle)  # noqa: S301 (our own private file, written below)
        except FileNotFoundError:
            return
        self.clear()
        dict.update(self, saved)

    def dump(self: Any) -> None:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".localstripe-")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(dict(self), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)

    store.try_load_from_disk = MethodType(load, store)
    store.dump_to_disk = MethodType(dump, store)


CONFIRM_PATH = re.compile(r"/v1/payment_intents/(pi_\w+)/confirm")
#: Appended to localstripe's Stripe.js shim: ``confirmCardPayment`` with a card element creates the
#: PaymentMethod and confirms the intent with the publishable key, as Stripe.js does.
CLIENT_CONFIRMATION_JS = """
// jsg_privacy: client-side confirmation with a card element, as Stripe.js does it.
(function () {
  const makeStripe = Stripe;
  const post = async (path, fields) => {
    const body = new URLSearchParams(fields);
    const response = await fetch(`${LOCALSTRIPE_BASE_API}${path}`, {method: 'POST', body});
    const answer = await response.json().catch(() => ({}));
    return response.status === 200 && !answer.error ? {ok: answer} : {error: answer.error || {}};
  };
  Stripe = (apiKey) => {
    const stripe = makeStripe(apiKey);
    const authenticate = stripe.confirmCardPayment;
    stripe.confirmCardPayment = async (clientSecret, data) => {
      const element = data && data.payment_method && data.payment_method.card;
      if (!element || !element.value) { return authenticate(clientSecret, data); }
      const card = element.value.card;
      const method = await post('/v1/payment_methods', {
        type: 'card', key: apiKey, 'card[number]': card.number, 'card[exp_month]': card.exp_month,
        'card[exp_year]': card.exp_year, 'card[cvc]': card.cvc,
      });
      if (method.error) { return {error: method.error}; }
      const intent = clientSecret.match(/^(pi_\\w+)_secret_/)[1];
      const confirmed = await post(`/v1/payment_intents/${intent}/confirm`, {
        key: apiKey, client_secret: clientSecret, payment_method: method.ok.id,
      });
      if (confirmed.error) { return {error: confirmed.error}; }
      if (confirmed.ok.status === 'requires_action') { return authenticate(clientSecret); }
      return {paymentIntent: confirmed.ok};
    };
    return stripe;
  };
})();
"""


def add_client_confirmation(app: Any) -> None:
    """Let the browser create PaymentMethods and confirm PaymentIntents with the publishable key
    and the client secret, as Stripe.js does with Stripe (see the module's docstring)."""
    from aiohttp import web
    from localstripe import resources, server
    from localstripe.errors import UserError

    @web.middleware
    async def publishable(request: Any, handler: Any) -> Any:
        if request.method == "GET" and request.path == "/js.stripe.com/v3/":
            original = server.localstripe_js(request).text
            return web.Response(
                text=original + CLIENT_CONFIRMATION_JS, content_type="application/javascript"
            )
        confirming = CONFIRM_PATH.fullmatch(request.path)
        creating = request.path == "/v1/payment_methods"
        if request.method != "POST" or not (confirming or creating):
            return await handler(request)
        if request.headers.get("Authorization"):
            return await handler(request)  # the server, with its secret key
        data = dict(await server.get_post_data(request, remove_auth=False) or {})
        if not str(data.pop("key", "")).startswith("pk_"):
            return await handler(request)
        data.pop("payment_user_agent", None)
        try:
            if confirming:
                found = _confirm(resources, UserError, confirming.group(1), data)
            else:
                found = resources.PaymentMethod._api_create(**data)
        except UserError as error:
            return error.to_response()
        finally:
            resources.store.dump_to_disk()
        return server.json_response(found._export())

    app.middlewares.insert(0, publishable)


def _confirm(
    resources: Any, user_error: type[Exception], intent_id: str, data: dict[str, Any]
) -> Any:
    """``POST /v1/payment_intents/{id}/confirm`` from the browser: the client secret proves it."""
    intent = resources.PaymentIntent._api_retrieve(intent_id)
    if data.get("client_secret") != intent.client_secret:
        raise user_error(401, "Unauthorized")
    method = data.get("payment_method")
    if method:
        resources.PaymentMethod._api_retrieve(method)  # 404 if unknown
        intent.payment_method = method
    if intent.status != "requires_confirmation":
        raise user_error(400, f"This PaymentIntent's status is {intent.status}.")
    intent._confirm(on_failure_now=intent._report_failure)
    return intent


def serve(
    port: int = DEFAULT_PORT,
    state: Path | None = None,
    *,
    webhook_url: str = "",
    webhook_secret: str = WEBHOOK_SECRET,
    from_scratch: bool = False,
) -> None:
    """Serve localstripe on ``127.0.0.1:port`` until interrupted."""
    from aiohttp import web
    from localstripe import resources, server, webhooks

    state = state or Path(tempfile.mkdtemp(prefix="localstripe-")) / "state.pickle"
    state.parent.mkdir(parents=True, exist_ok=True)
    use_state_file(resources.store, state)
    if not from_scratch:
        resources.store.try_load_from_disk()
    add_client_confirmation(server.app)
    if webhook_url:
        webhooks.register_webhook("jsg_privacy", webhook_url, webhook_secret, list(WEBHOOK_EVENTS))

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    url = f"http://{HOST}:{sock.getsockname()[1]}"
    print(f"localstripe listening on {url} (state: {state})", flush=True)

    access_log = logging.getLogger("aiohttp.access")
    access_log.setLevel(logging.INFO)
    access_log.addHandler(logging.StreamHandler())
    web.run_app(server.app, sock=sock, access_log=access_log, print=None)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m jsg_privacy.payments.gateways.stripe.localstripe",
        description="localstripe on 127.0.0.1 with a private state file.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--state", type=Path, help="state file (default: a new temporary one)")
    parser.add_argument("--from-scratch", action="store_true", help="ignore a saved state")
    parser.add_argument("--webhook", default="", help="URL to POST payment_intent events to")
    parser.add_argument("--webhook-secret", default=WEBHOOK_SECRET)
    args = parser.parse_args(argv)
    try:
        serve(
            args.port,
            args.state,
            webhook_url=args.webhook,
            webhook_secret=args.webhook_secret,
            from_scratch=args.from_scratch,
        )
    except OSError as error:
        sys.exit(f"localstripe could not listen on {HOST}:{args.port}: {error}")


if __name__ == "__main__":
    main()
