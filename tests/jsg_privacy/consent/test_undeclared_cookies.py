"""Cookies the shop sets are found: held back before consent, logged once, listed in the admin.

The views in tests.testapp.views set ``recently_viewed`` (undeclared, like django-oscar's
``oscar_history``), ``_sa_id`` (declared by the example shop for analytics) and ``basket_token``
(declared as strictly necessary by the tests that need it).
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.consent import guard, sightings
from jsg_privacy.consent.checks import check_undeclared_cookies
from jsg_privacy.consent.models import UndeclaredCookie
from tests.testapp.views import ANALYTICS, NECESSARY, UNDECLARED

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.testapp.urls")]

PAGE = "/cookies/recently-viewed/"


@pytest.fixture
def declared_basket():
    with privacy.registry.temporarily():
        privacy.add(privacy.Cookie(NECESSARY, "this website", inventory.NECESSARY, None, "Basket."))
        yield


def set_cookies(response) -> set[str]:
    """Names the response sets (a deletion, max-age 0, is not setting a cookie)."""
    return {n for n, m in response.cookies.items() if not guard.is_deletion(m)}


def warnings_about(caplog, name: str) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == "jsg_privacy.consent" and r.levelno == logging.WARNING and name in r.message
    ]


def test_a_first_time_visitor_gets_no_undeclared_cookie(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert UNDECLARED not in response.cookies
    assert "Set-Cookie" not in response.headers
    assert UNDECLARED not in client.cookies


def test_an_undeclared_cookie_is_logged_once_without_its_value(client, caplog):
    caplog.set_level(logging.INFO, logger="jsg_privacy.consent")
    for _ in range(3):
        client.get(PAGE + "?ref=mail")
    (record,) = warnings_about(caplog, UNDECLARED)
    assert "recently-viewed" in record.message  # the view's name, so the developer finds it
    assert "12,7" not in caplog.text  # the cookie's value is never logged
    assert "ref=mail" not in caplog.text
    assert "privacy.py" in record.message


def test_it_is_recorded_for_the_admin_with_the_path_only(client):
    client.get(PAGE + "?email=ann@example.com")
    row = UndeclaredCookie.objects.get()
    assert (row.name, row.path, row.view, row.seen_count) == (
        UNDECLARED,
        PAGE,
        "recently-viewed",
        1,
    )
    assert row.first_seen == row.last_seen


def test_no_query_per_response_once_the_name_is_known(client, django_assert_num_queries):
    with django_assert_num_queries(4):  # in a savepoint: UPDATE (no row yet), INSERT
        client.get(PAGE)
    for _ in range(3):
        with django_assert_num_queries(0):
            client.get(PAGE)


def test_counts_are_written_at_most_once_a_flush_interval(client, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(sightings.time, "monotonic", lambda: clock[0])
    client.get(PAGE)
    client.get(PAGE)
    client.get(PAGE)
    assert UndeclaredCookie.objects.get().seen_count == 1  # two sightings wait in memory
    clock[0] += sightings.FLUSH_SECONDS
    client.get(PAGE)
    row = UndeclaredCookie.objects.get()
    assert row.seen_count == 4
    assert row.last_seen > row.first_seen


def test_another_process_that_sees_it_adds_to_the_same_row(client):
    client.get(PAGE)
    sightings.forget()  # as a new process would start
    client.get("/cookies/products/7/")
    row = UndeclaredCookie.objects.get()
    assert (row.seen_count, row.path) == (2, PAGE)


@pytest.mark.parametrize(
    ("choice", "data", "gets_it"),
    [
        ("accept", {"all": "1"}, True),
        ("decline", {"all": "1"}, False),
        ("save", {"groups": ["analytics"]}, False),  # marketing refused: not every group
    ],
)
def test_after_a_choice_only_a_visitor_who_accepted_every_group_gets_it(
    client, choice, data, gets_it
):
    client.post(reverse(f"jsg_privacy:cookies-{choice}"), data)
    response = client.get(PAGE)
    assert (UNDECLARED in set_cookies(response)) is gets_it
    assert UndeclaredCookie.objects.filter(name=UNDECLARED).exists()  # reported either way


def test_a_declared_consent_cookie_waits_for_its_group(client, caplog):
    caplog.set_level(logging.INFO, logger="jsg_privacy.consent")
    assert ANALYTICS not in set_cookies(client.get("/cookies/analytics/"))
    assert "before the visitor accepted" in caplog.text
    client.post(reverse("jsg_privacy:cookies-save"), {"groups": ["analytics"]})
    assert ANALYTICS in set_cookies(client.get("/cookies/analytics/"))
    assert not UndeclaredCookie.objects.exists()  # declared: not reported
    assert warnings_about(caplog, ANALYTICS) == []


def test_a_declared_necessary_cookie_is_set_for_a_first_time_visitor(client, declared_basket):
    response = client.get("/cookies/basket/")
    assert NECESSARY in set_cookies(response)
    assert not UndeclaredCookie.objects.exists()


def test_declaring_it_lets_it_through_and_ends_the_report(client, caplog):
    client.get(PAGE)
    with privacy.registry.temporarily():
        privacy.add(
            privacy.Cookie(
                UNDECLARED, "this website", inventory.NECESSARY, timedelta(days=7), "History."
            )
        )
        response = client.get(PAGE)
        assert UNDECLARED in set_cookies(response)
        assert check_undeclared_cookies(databases=["default"]) == []
    assert UndeclaredCookie.objects.get().seen_count == 1  # declared: not counted


def test_frameworks_own_cookies_are_never_held_back(settings):
    settings.SESSION_COOKIE_NAME = "shop_session"
    settings.LANGUAGE_COOKIE_NAME = "shop_language"
    request = RequestFactory().get("/")
    response = HttpResponse()
    names = [
        "shop_session",
        settings.CSRF_COOKIE_NAME,
        "shop_language",
        "messages",
        "jsg_consent",
        "jsg_consent_ui",
        "cookie_consent",
    ]
    for name in names:
        response.set_cookie(name, "x")
    guard.guard(request, response)
    assert set_cookies(response) == set(names)
    assert not UndeclaredCookie.objects.exists()


def test_deleting_an_undeclared_cookie_goes_through(client):
    client.cookies[UNDECLARED] = "12,7"
    response = client.get("/cookies/forget/")
    assert response.cookies[UNDECLARED]["max-age"] == 0
    assert not UndeclaredCookie.objects.exists()


def test_a_set_cookie_header_set_by_hand_is_held_back_too(client):
    response = client.get("/cookies/raw/")
    assert "Set-Cookie" not in response.headers
    assert UndeclaredCookie.objects.filter(name="raw_tracker").exists()


def test_with_no_cookie_group_an_undeclared_cookie_is_never_set(client):
    with privacy.registry.temporarily():
        privacy.remove("_sa_id", "_sa_s_*", "_adclick")  # nobody can be asked: no group
        response = client.get(PAGE)
    assert UNDECLARED not in set_cookies(response)


def test_a_database_error_never_breaks_the_page(client, monkeypatch, caplog):
    def fail(*args, **kwargs):
        from django.db import DatabaseError

        raise DatabaseError("no such table")

    monkeypatch.setattr(UndeclaredCookie.objects, "filter", fail)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert UNDECLARED not in response.cookies
    assert "Could not record undeclared cookies: DatabaseError" in caplog.text


def test_staff_read_the_list_with_how_to_declare_but_cannot_change_it(admin_client, client):
    client.get(PAGE)
    row = UndeclaredCookie.objects.get()
    changelist = admin_client.get(reverse("admin:jsg_privacy_undeclaredcookie_changelist"))
    assert changelist.status_code == 200
    page = changelist.content.decode()
    assert UNDECLARED in page
    assert PAGE in page
    assert "not declared" in page
    filtered = admin_client.get(
        reverse("admin:jsg_privacy_undeclaredcookie_changelist"), {"status": "declared"}
    )
    assert UNDECLARED not in filtered.content.decode().split('id="result_list"')[-1]
    detail = admin_client.get(reverse("admin:jsg_privacy_undeclaredcookie_change", args=[row.pk]))
    assert detail.status_code == 200
    assert f"privacy.Cookie(&quot;{UNDECLARED}&quot;" in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()
    assert admin_client.get(reverse("admin:jsg_privacy_undeclaredcookie_add")).status_code == 403
    delete = admin_client.post(
        reverse("admin:jsg_privacy_undeclaredcookie_delete", args=[row.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403


def test_check_w020_names_cookies_seen_and_still_undeclared(client):
    assert check_undeclared_cookies(databases=["default"]) == []
    client.get(PAGE)
    (warning,) = check_undeclared_cookies(databases=["default"])
    assert warning.id == "jsg_privacy.W020"
    assert f"{UNDECLARED} (on {PAGE})" in warning.msg
    assert check_undeclared_cookies(databases=None) == []  # a database check: only when asked
