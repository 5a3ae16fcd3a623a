"""Test helpers for shops using jsg_privacy's payments, whatever their gateways: the leak scan.

Each gateway ships its own test double beside it — :mod:`jsg_privacy.payments.gateways.stripe.testing`
(localstripe), :mod:`jsg_privacy.payments.gateways.dummy` (no network at all) — and these helpers
search what a test left behind for card data::

    with transport.recording() as sent:  # every request body sent to any provider
        ...pay...
    for text in [testing.database_dump(), caplog.text, *(r.body for r in sent)]:
        assert testing.card_data_in(text, cvcs=("739",)) == []
"""

from __future__ import annotations

import atexit
import json
import re
import select
import subprocess
import sys
import urllib.parse
import urllib.request
from typing import Any, ClassVar, TypeVar

START_TIMEOUT = 20.0
S = TypeVar("S", bound="StandIn")


class StandIn:
    """A local stand-in server for a provider, run as ``python -m <module> --port 0`` for a test
    session; the first line it prints ends with the URL it listens on (127.0.0.1 only)."""

    module: ClassVar[str]
    banner: ClassVar[str]  # how that first line starts: "paypal stand-in listening on"

    def __init__(self) -> None:
        self.url = ""
        self.process: subprocess.Popen[str] | None = None

    def start(self: S) -> S:
        command = [sys.executable, "-m", self.module, "--port", "0"]
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            command, stdout=subprocess.PIPE, text=True
        )
        if self.process.stdout is None:  # pragma: no cover (stdout=PIPE above)
            raise RuntimeError(f"{self.module} has no output")
        ready, _, _ = select.select([self.process.stdout], [], [], START_TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        if not line.startswith(self.banner):
            self.stop()
            raise RuntimeError(f"{self.module} did not start: {line!r}")
        self.url = line.split()[-1]
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=5)
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()

    def post(self, path: str, data: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        """POST JSON to the stand-in; its JSON answer."""
        request = urllib.request.Request(  # noqa: S310 (the stand-in on 127.0.0.1)
            f"{self.url}{path}",
            json.dumps(data).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read() or b"null")


_running: dict[type[StandIn], StandIn] = {}


def running(kind: type[S]) -> S:
    """The stand-in of this kind for this process, started on first use, stopped at exit."""
    server = _running.get(kind)
    if server is None or server.process is None or server.process.poll() is not None:
        server = _running[kind] = kind().start()
        atexit.register(server.stop)
    return server  # type: ignore[return-value]  # stored under its own kind


def database_dump(using: str = "default") -> str:
    """Every row of every table of the database, as text: what a leak scan searches."""
    from django.db import connections

    connection = connections[using]
    lines: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            lines.extend(f"{table}: {row!r}" for row in cursor.fetchall())
    return "\n".join(lines)


def card_data_in(text: str, cvcs: tuple[str, ...] = ()) -> list[str]:
    """Card numbers (13-19 Luhn-valid digits, spaced or not) and security codes found in ``text``.

    A security code is found when one of ``cvcs`` follows a CVC/CVV-like name (``card[cvc]=123``,
    ``"cvv": "123"``), however it is quoted or encoded.
    """
    from jsg_privacy.payments.card_data import find_card_numbers

    decoded = urllib.parse.unquote_plus(text)
    found = [*find_card_numbers(text), *find_card_numbers(decoded)]
    names = r"(?i)(cv[cv]|security.?code|card.?verification)\w*\W{0,12}"
    for cvc in cvcs:
        pattern = re.compile(names + re.escape(cvc) + r"(?!\d)")
        found += [match.group(0) for match in pattern.finditer(text + "\n" + decoded)]
    return found
