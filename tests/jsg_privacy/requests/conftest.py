"""Fixtures shared by the request tests."""

import socket
from collections.abc import Iterator

import django
import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from example_shop.factories import OrderFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Every test starts (and leaves) with no request counted against any limit."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def customer():
    """A customer with an account and an invoiced order."""
    user = UserFactory()
    OrderFactory(user=user, email=user.email, invoiced_at=timezone.now())
    return user


@pytest.fixture
def signed_in(customer):
    """The customer's browser, signed in."""
    client = Client()
    client.force_login(customer)
    return client


class MailServer:
    """Where the project's mail goes: a server on ``port``, until :meth:`answers` puts the test's
    own mail box back (``EMAIL_BACKEND``, or ``MAILERS`` from Django 6.1)."""

    SMTP = "django.core.mail.backends.smtp.EmailBackend"
    LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
    #: Seconds the shop's own mail (acknowledgements) waits for the server before giving up.
    TIMEOUT = 0.3

    def __init__(self, settings, port):
        self.settings = settings
        if django.VERSION >= (6, 1):
            options = {"host": "127.0.0.1", "port": port, "timeout": self.TIMEOUT}
            settings.MAILERS = {"default": {"BACKEND": self.SMTP, "OPTIONS": options}}
        else:
            settings.EMAIL_BACKEND = self.SMTP
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
            settings.EMAIL_TIMEOUT = self.TIMEOUT

    def answers(self):
        if django.VERSION >= (6, 1):
            self.settings.MAILERS = {"default": {"BACKEND": self.LOCMEM}}
        else:
            self.settings.EMAIL_BACKEND = self.LOCMEM


@pytest.fixture
def silent_mail_server(settings) -> Iterator[MailServer]:
    """A mail server that accepts the connection and never says a word: every send times out."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    settings.JSG_PRIVACY_NOTIFIER_TIMEOUT = 0.3
    try:
        yield MailServer(settings, server.getsockname()[1])
    finally:
        server.close()
