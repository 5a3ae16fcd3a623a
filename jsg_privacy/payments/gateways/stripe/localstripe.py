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
"""

from __future__ import annotations

import argparse
import logging
import os
import pickle
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
