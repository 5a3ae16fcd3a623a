"""``manage.py privacy_scan_cookies`` walks the shop's URLs and fails CI on an undeclared cookie."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.http import HttpRequest, HttpResponse
from django.test import Client

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.consent import scan
from jsg_privacy.consent.models import ConsentRecord, UndeclaredCookie
from tests.testapp.views import UNDECLARED

pytestmark = pytest.mark.django_db
TEST_URLS = pytest.mark.urls("tests.testapp.urls")


@pytest.fixture
def no_post(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the scan must never POST")

    monkeypatch.setattr(Client, "post", refuse)


def run(*args: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("privacy_scan_cookies", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def block(output: str, name: str) -> str:
    """The lines the output gives ``name``: its own and the indented ones under it."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{name}: "))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith("    ")), len(lines)
    )
    return "\n".join(lines[start:end])


@TEST_URLS
def test_it_finds_the_undeclared_cookie_and_fails(no_post):
    output, error = run()
    assert error is not None  # CommandError: manage.py exits with status 1
    assert "recently_viewed" in str(error)
    assert "raw_tracker" in str(error)  # set with response["Set-Cookie"] = ...
    found = block(output, UNDECLARED)
    assert "NOT DECLARED" in found
    assert "first-time visitor: held back on /cookies/recently-viewed/" in found
    assert "/cookies/products/" not in output  # a pattern with a parameter is not guessed


@TEST_URLS
def test_it_reports_what_is_declared_and_under_which_purpose():
    output, _ = run("--accept-all")
    analytics = block(output, "_sa_id")
    assert "declared: analytics, needs consent" in analytics
    assert "first-time visitor: held back on /cookies/analytics/" in analytics
    assert "visitor who accepted all: set on /cookies/analytics/" in analytics
    undeclared = block(output, UNDECLARED)
    assert "visitor who accepted all: set on /cookies/recently-viewed/" in undeclared
    assert "csrftoken: declared: necessary, no consent needed (Django's CSRF cookie)" in output


@TEST_URLS
def test_a_failing_page_is_reported_with_its_status_not_a_crash():
    output, _ = run()
    assert "500: /cookies/broken-query/, /cookies/broken/" in output
    assert "held back on /cookies/recently-viewed/" in output  # visited after the failures
    assert "405: " in output  # POST-only pages answer GET with 405


@TEST_URLS
def test_declaring_the_cookies_makes_it_pass():
    with privacy.registry.temporarily():
        for name in (UNDECLARED, "raw_tracker", "basket_token"):
            privacy.add(privacy.Cookie(name, "this website", inventory.NECESSARY, None, "Needed."))
        output, error = run("--accept-all")
    assert error is None, output
    assert "Every cookie set is declared" in output
    assert "declared: necessary, no consent needed" in block(output, UNDECLARED)


def test_the_example_shop_sets_only_declared_cookies(no_post):
    output, error = run("--accept-all")
    assert error is None, output
    assert "csrftoken" in output


@TEST_URLS
def test_extra_paths_are_visited_and_must_be_paths():
    output, _ = run("--path", "/cookies/products/7/")
    assert "/cookies/products/7/" in block(output, UNDECLARED)
    with pytest.raises(CommandError, match="must start with /"):
        call_command("privacy_scan_cookies", "--path", "cookies/products/7/", stdout=StringIO())


@TEST_URLS
def test_the_admin_is_skipped_unless_asked():
    assert "/admin/" not in scan.url_paths()
    assert "/admin/" in scan.url_paths(include_admin=True)
    assert "/cookies/recently-viewed/" in scan.url_paths()


@TEST_URLS
def test_a_scan_leaves_nothing_behind(caplog):
    run("--accept-all")
    assert not UndeclaredCookie.objects.exists()
    assert not Session.objects.exists()
    assert not ConsentRecord.objects.exists()  # the accepted-all visitor is not a real choice
    assert "no declaration covers it" not in caplog.text  # the scan reports; run time logs


class SetsCookieMiddleware:
    """A shop's middleware listed before ConsentMiddleware: its cookies are out of the guard's reach."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.set_cookie("early_bird", "1")
        return response


@TEST_URLS
def test_a_cookie_set_outside_the_consent_middleware_is_pointed_out(settings):
    here = f"{__name__}.SetsCookieMiddleware"
    settings.MIDDLEWARE = [here, *settings.MIDDLEWARE]
    output, error = run()
    assert "early_bird" in str(error)
    assert "set out of ConsentMiddleware's reach" in block(output, "early_bird")


@TEST_URLS
def test_without_the_consent_middleware_it_says_nothing_is_held_back(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "ConsentMiddleware" not in m]
    output, error = run()
    assert "ConsentMiddleware is not installed" in output
    assert "set out of ConsentMiddleware's reach" in block(output, UNDECLARED)
    assert error is not None
