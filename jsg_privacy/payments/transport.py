"""What leaves for a payment provider, on the wire: observers see every outbound request.

Each gateway's HTTP client calls :func:`notify` with every request it is about to send. Tests use
:func:`recording` to collect the request bodies and prove that no card number, CVV or undeclared
field ever leaves; an audit hook can subscribe the same way. Nothing is recorded unless someone
observes, and observers are called in the sending thread (a live test server's thread included).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class OutboundRequest:
    method: str
    url: str
    body: str

    @property
    def params(self) -> list[tuple[str, str]]:
        """The form-encoded parameters, from the query string and the body."""
        query = urlsplit(self.url).query
        return parse_qsl(query, keep_blank_values=True) + parse_qsl(
            self.body, keep_blank_values=True
        )


Observer = Callable[[OutboundRequest], None]

_observers: list[Observer] = []
_lock = threading.Lock()


def notify(method: str, url: str, body: str | bytes | None) -> None:
    """Tell the observers about a request about to be sent."""
    if not _observers:
        return
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    request = OutboundRequest(method.upper(), url, body or "")
    for observer in list(_observers):
        observer(request)


def subscribe(observer: Observer) -> Callable[[], None]:
    """Add an observer; returns a function that removes it."""
    with _lock:
        _observers.append(observer)

    def unsubscribe() -> None:
        with _lock:
            if observer in _observers:
                _observers.remove(observer)

    return unsubscribe


@contextmanager
def recording() -> Iterator[list[OutboundRequest]]:
    """Collect every outbound request made inside the block (from any thread)::

    with transport.recording() as sent:
        pay(...)
    assert all("4242" not in request.body for request in sent)
    """
    sent: list[OutboundRequest] = []
    unsubscribe = subscribe(sent.append)
    try:
        yield sent
    finally:
        unsubscribe()
