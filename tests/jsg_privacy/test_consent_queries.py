"""The consent layer costs a visitor no database query, decided or not, and keeps pages cacheable.

"Consent off" is the benchmark's switch (bench/bench_consent.py): no ConsentMiddleware and the shop's
base.html without the consent tags and gated scripts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.bench_consent import consent_off, decided_visitor
from example_shop.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_usage_logging(settings):
    """Usage logging adds an INSERT for consenting visitors in both runs; it is counted in its
    own tests (tests/jsg_privacy/usage)."""
    settings.JSG_PRIVACY_USAGE_LOGGING = False


#: The two per-request values in the banner's forms (and the shop's own forms).
PER_REQUEST = re.compile(rb'(name="(?:csrfmiddlewaretoken|next)" value=")[^"]*(")')


@pytest.fixture
def url() -> str:
    return f"/products/{ProductFactory(stock=5).slug}/"


@pytest.fixture
def off() -> Iterator[dict]:
    with consent_off() as off_settings:
        yield off_settings


def queries(client: Client, url: str, settings: dict | None = None) -> tuple[list[str], bytes]:
    """The SQL run to serve ``url`` to a copy of ``client`` (a fresh middleware chain), and the page."""
    copy = Client()
    copy.cookies = client.cookies
    with override_settings(**(settings or {})), CaptureQueriesContext(connection) as captured:
        response = copy.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response.content


@pytest.mark.parametrize("choice", ["accept", "decline", None])
def test_the_consent_layer_costs_no_extra_query(choice, url, off):
    client = decided_visitor(choice)
    queries(client, url)  # warm up both, so that nothing process-wide is loaded in the count
    queries(client, url, off)

    off_sql, off_page = queries(client, url, off)
    on_sql, on_page = queries(client, url)
    assert on_sql == off_sql  # the same queries, in the same order: none added

    assert b'<div id="jsg-cb"' in on_page
    assert b'<script type="text/plain" data-consent="analytics"' in on_page
    assert b'<script type="text/plain" data-consent="marketing"' in on_page
    assert b"jsg-cb" not in off_page
    assert b"data-consent" not in off_page


def test_the_page_is_the_same_for_every_choice_but_its_csrf_token(url):
    pages = {}
    for choice in (None, "accept", "decline"):
        page = decided_visitor(choice).get(url).content
        assert b'<div id="jsg-cb"' in page
        pages[choice] = PER_REQUEST.sub(rb"\1\2", page)
    assert pages["accept"] == pages[None]
    assert pages["decline"] == pages[None]


def test_the_banner_forms_return_to_the_page_they_are_on(url):
    page = decided_visitor("accept").get(url).content
    nexts = set(re.findall(rb'name="next" value="([^"]*)"', page))
    assert nexts == {url.encode()}
