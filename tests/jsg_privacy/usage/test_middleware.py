"""Page views and searches only with analytics consent; security events only where declared."""

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from example_shop.factories import UserFactory
from jsg_privacy.consent import state
from jsg_privacy.crypto import subjects
from jsg_privacy.registry import registry
from jsg_privacy.usage import buffer, record
from jsg_privacy.usage.middleware import UsageMiddleware
from jsg_privacy.usage.models import UsageEvent

pytestmark = pytest.mark.django_db

USAGE_MIDDLEWARE = "jsg_privacy.usage.middleware.UsageMiddleware"


def test_the_middleware_is_installed_after_the_consent_middleware():
    middleware = settings.MIDDLEWARE
    consent = middleware.index("jsg_privacy.consent.middleware.ConsentMiddleware")
    assert middleware.index(USAGE_MIDDLEWARE) > consent


@pytest.mark.parametrize("choice", [None, "decline"])
def test_nothing_is_recorded_without_analytics_consent(visitor, choice):
    client = visitor(choice)
    assert client.get("/", {"q": "smart meter"}, REMOTE_ADDR="203.0.113.5").status_code == 200
    assert not UsageEvent.objects.exists()


def test_a_page_view_with_consent_is_recorded_with_a_truncated_address(visitor):
    client = visitor("accept")
    client.get("/", REMOTE_ADDR="203.0.113.77")

    event = UsageEvent.objects.get()
    assert event.kind == UsageEvent.Kind.PAGE_VIEW
    assert event.path == "/"
    assert event.status_code == 200
    assert event.ip_address == "203.0.113.0"
    assert event.search_terms == ""
    assert event.user is None
    consent_id = state._parse(client.cookies[state.cookie_name()].value).consent_id
    assert event.visitor_key == subjects.for_consent_id(consent_id)


def test_a_search_is_recorded_with_its_terms_cut_to_200_characters(visitor):
    client = visitor("accept")
    client.get("/", {"q": "  three-phase   meter "}, REMOTE_ADDR="2001:db8:abcd:12::9")
    client.get("/", {"q": "x" * 500})

    first, second = UsageEvent.objects.order_by("pk")
    assert first.kind == UsageEvent.Kind.SEARCH
    assert first.search_terms == "three-phase meter"
    assert first.ip_address == "2001:db8:abcd::"
    assert len(second.search_terms) == 200


def test_the_query_string_is_never_stored(visitor):
    visitor("accept").get("/", {"email": "ann@example.co.uk"})
    assert UsageEvent.objects.get().path == "/"


def test_an_invalid_address_is_stored_as_none(visitor):
    visitor("accept").get("/", REMOTE_ADDR="unknown")
    assert UsageEvent.objects.get().ip_address is None


def test_a_logged_in_visitor_is_linked(visitor):
    client = visitor("accept")
    user = UserFactory()
    client.force_login(user)
    client.get("/")
    assert UsageEvent.objects.get().user == user


def test_posts_not_found_pages_and_own_endpoints_are_not_page_views(visitor):
    client = visitor("accept")
    client.post("/account/login/", {"username": "ann", "password": "secret-password"})
    client.get("/no-such-page/")
    client.get("/privacy/notice/")
    client.get("/privacy/cookies/state.css")
    client.get("/privacy/cookies/status/")
    client.get("/admin/login/")
    assert not UsageEvent.objects.exclude(kind=UsageEvent.Kind.SECURITY).exists()
    # The failed log-in is a security event: its page and network only, never what was typed.
    for event in UsageEvent.objects.all():
        assert "secret-password" not in str(vars(event))
        assert "ann" not in event.path


def test_static_and_media_files_are_not_page_views(visitor):
    cookie = visitor("accept").cookies[state.cookie_name()].value
    middleware = UsageMiddleware(lambda request: HttpResponse("<html></html>"))
    for path in (f"/{settings.STATIC_URL.strip('/')}/shop.css", "/media/photo.html"):
        request = RequestFactory().get(path)
        request.COOKIES[state.cookie_name()] = cookie
        with override_settings(MEDIA_URL="/media/"):
            middleware(request)
    request = RequestFactory().get("/page/")
    request.COOKIES[state.cookie_name()] = cookie
    middleware(request)
    buffer.flush()
    assert list(UsageEvent.objects.values_list("path", flat=True)) == ["/page/"]


def test_non_html_responses_are_not_page_views(visitor):
    cookie = visitor("accept").cookies[state.cookie_name()].value
    middleware = UsageMiddleware(
        lambda request: HttpResponse("{}", content_type="application/json")
    )
    request = RequestFactory().get("/api/")
    request.COOKIES[state.cookie_name()] = cookie
    middleware(request)
    buffer.flush()
    assert not UsageEvent.objects.exists()


def test_recording_can_be_switched_off(visitor, settings):
    settings.JSG_PRIVACY_USAGE_LOGGING = False
    client = visitor("accept")
    client.get("/")
    client.post("/account/login/", {"username": "ann", "password": "wrong"})
    assert not UsageEvent.objects.exists()


def test_full_addresses_are_kept_when_configured(visitor, settings):
    settings.JSG_PRIVACY_USAGE_FULL_IP_DAYS = 30
    visitor("accept").get("/", REMOTE_ADDR="203.0.113.77")
    assert UsageEvent.objects.get().ip_address == "203.0.113.77"


# -- security events ---------------------------------------------------------------------------


def test_a_failed_login_is_a_security_event(visitor):
    client = visitor(None)  # no analytics consent needed: security rests on legitimate interests
    client.post(
        "/account/login/",
        {"username": "ann@example.co.uk", "password": "wrong"},
        REMOTE_ADDR="198.51.100.23",
    )
    event = UsageEvent.objects.get()
    assert event.kind == UsageEvent.Kind.SECURITY
    assert event.path == "/account/login/"
    assert event.ip_address == "198.51.100.0"
    assert event.user is None
    assert event.visitor_key == ""


def test_a_forbidden_response_is_a_security_event():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    event = UsageEvent.objects.get()
    assert (event.kind, event.status_code) == (UsageEvent.Kind.SECURITY, 403)


def test_no_security_events_without_the_security_purpose(visitor):
    with registry.temporarily():
        registry.remove("security")
        assert not record.security_in_use()
        client = visitor(None)
        client.post("/account/login/", {"username": "ann", "password": "wrong"})
        Client(enforce_csrf_checks=True).post("/account/login/", {})
        assert not UsageEvent.objects.exists()
    assert record.security_in_use()


# -- cost ---------------------------------------------------------------------------------------


def count_queries(client: Client, url: str, **settings_) -> int:
    copy = Client()
    copy.cookies = client.cookies
    with override_settings(**settings_), CaptureQueriesContext(connection) as captured:
        assert copy.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("choice", [None, "decline"])
def test_no_extra_query_without_analytics_consent(visitor, choice, django_assert_num_queries):
    client = visitor(choice)
    without = [m for m in settings.MIDDLEWARE if m != USAGE_MIDDLEWARE]
    count_queries(client, "/", MIDDLEWARE=without)  # warm up
    baseline = count_queries(client, "/", MIDDLEWARE=without)

    copy = Client()
    copy.cookies = client.cookies
    copy.get("/")  # warm up the chain with the usage middleware
    with django_assert_num_queries(baseline):
        copy.get("/", {"q": "meter"})
    assert not UsageEvent.objects.exists()


def test_a_recorded_page_view_costs_no_query(visitor):
    """The event waits in the buffer: the request makes no query the page would not make."""
    client = visitor("accept")
    without = [m for m in settings.MIDDLEWARE if m != USAGE_MIDDLEWARE]
    count_queries(client, "/", MIDDLEWARE=without)
    baseline = count_queries(client, "/", MIDDLEWARE=without)
    copy = Client()  # not written after each response
    copy.cookies = client.cookies
    copy.get("/")
    with CaptureQueriesContext(connection) as captured:
        copy.get("/", {"q": "meter"})
    assert len(captured.captured_queries) == baseline
    assert buffer.stats()["pending"] == 2
    assert not UsageEvent.objects.exists()


def test_waiting_page_views_are_written_in_one_insert(visitor):
    copy = Client()
    copy.cookies = visitor("accept").cookies
    for page in range(5):
        copy.get("/", {"q": f"meter {page}"} if page % 2 else {})
    with CaptureQueriesContext(connection) as captured:
        assert buffer.flush() == 5
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert len(captured.captured_queries) == 1  # no user signed in: no user to look up
    assert UsageEvent.objects.filter(kind=UsageEvent.Kind.SEARCH).count() == 2
    assert UsageEvent.objects.filter(kind=UsageEvent.Kind.PAGE_VIEW).count() == 3
