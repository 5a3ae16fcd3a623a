"""The "Your data" page in a customer's account: download, correct, erase, restrict or object."""

import io
import json
import re
import zipfile

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from example_shop.factories import DEMO_PASSWORD, UserFactory
from jsg_privacy.requests import cases, downloads
from jsg_privacy.requests.models import Case, Channel, ExportFile, Kind, Status

pytestmark = pytest.mark.django_db

YOUR_DATA = reverse("jsg_privacy:requests:your-data")
EXPORT = reverse("jsg_privacy:requests:export")
ERASE = reverse("jsg_privacy:requests:erase")
RESTRICT = reverse("jsg_privacy:requests:restrict")
DOWNLOAD = re.compile(r'href="(/privacy/requests/download/[^"]+/)"')


@pytest.fixture
def exported(signed_in, django_capture_on_commit_callbacks):
    """Press "Download my data"; return the page that follows."""

    def press(client=signed_in):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(EXPORT)
        assert response.url == YOUR_DATA
        return client.get(YOUR_DATA)

    return press


def download_link(page):
    found = DOWNLOAD.search(page.text)
    assert found, "the page has no download button"
    return found.group(1)


def zip_of(response):
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_page_needs_a_log_in(client):
    response = client.get(YOUR_DATA)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert client.post(EXPORT).status_code == 302
    assert not Case.objects.exists()


def test_the_page_offers_every_right_and_links_the_consent_pages(signed_in):
    page = signed_in.get(YOUR_DATA)

    assert page.status_code == 200
    for text in ["Download my data", "Correct my data", "Restrict or object", "Erase my account"]:
        assert text in page.text
    assert f'href="{reverse("accounts:profile")}"' in page.text
    assert f'href="{reverse("jsg_privacy:marketing:preferences")}"' in page.text
    assert f'href="{reverse("jsg_privacy:cookies")}"' in page.text
    assert "Your requests" not in page.text


def test_without_a_profile_page_the_customer_is_told_to_contact_us(signed_in, monkeypatch):
    from jsg_privacy.requests import views

    real = views.optional_url
    monkeypatch.setattr(views, "optional_url", lambda n: "" if n == "accounts:profile" else real(n))

    page = signed_in.get(YOUR_DATA)

    assert "your details</a>" not in page.text
    assert "mailto:privacy@jsgsolutions.example" in page.text


def test_the_account_nav_links_the_page(signed_in):
    page = signed_in.get(reverse("accounts:profile"))

    assert f'<a href="{YOUR_DATA}">Your data</a>' in page.text


def test_download_my_data_asks_for_the_password_then_gives_the_zip(customer, signed_in, exported):
    page = exported()

    assert "we are preparing a copy of your data" in page.text
    case = Case.objects.get()
    assert (case.kind, case.channel, case.status) == (Kind.ACCESS, Channel.ACCOUNT, "completed")
    assert case.identity_check == "logged-in account holder"
    assert case.reference in page.text

    url = download_link(page)
    form = signed_in.get(url)
    assert "confirm your password" in form.text
    wrong = signed_in.post(url, {"password": "not my password"})
    assert wrong.status_code == 200
    assert "That is not your password." in wrong.text
    assert not wrong.has_header("Content-Disposition")

    response = signed_in.post(url, {"password": DEMO_PASSWORD})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"].count("no-store")
    data = json.loads(zip_of(response).read("data.json"))
    orders = next(s for s in data["sources"] if s["key"] == "orders.Order")
    assert len(orders["records"]) == 1
    assert ExportFile.objects.get().downloaded_at is not None
    assert case.events.filter(action="downloaded").count() == 1
    refusals = case.events.filter(action="download refused")
    assert [event.detail for event in refusals] == ["wrong password"]

    again = signed_in.get(url)  # confirmed a moment ago: no second prompt
    assert again.context["form"] is None
    assert 'type="password"' not in again.text
    assert zip_of(signed_in.post(url)).read("data.json")


def test_the_password_confirmation_lasts_ten_minutes(customer, signed_in, exported, monkeypatch):
    url = download_link(exported())
    signed_in.post(url, {"password": DEMO_PASSWORD})
    later = downloads.time.time() + 11 * 60
    monkeypatch.setattr(downloads.time, "time", lambda: later)

    response = signed_in.post(url)

    assert response.status_code == 200
    assert not response.has_header("Content-Disposition")
    assert "This field is required." in response.text


def test_the_ready_link_is_e_mailed_to_the_account_holder_too(customer, exported):
    exported()

    ready = mail.outbox[-1]
    assert ready.to == [customer.email]
    assert "sign in to your account and confirm your password" in ready.body


def test_a_second_press_while_preparing_opens_no_second_request(customer, signed_in, monkeypatch):
    from jsg_privacy import tasks

    monkeypatch.setattr(tasks, "enqueue", lambda *args: None)  # as if a Celery worker were slow

    first = signed_in.post(EXPORT, follow=True)
    assert "Preparing your data" in first.text
    assert '<meta http-equiv="refresh"' in first.text
    second = signed_in.post(EXPORT, follow=True)

    assert "We are already preparing your data" in second.text
    assert Case.objects.count() == 1


def test_the_page_lists_only_the_customers_own_requests(customer, signed_in):
    mine = cases.open_case(kind="erasure", email=customer.email, channel="account", user=customer)
    other = UserFactory()
    theirs = cases.open_case(kind="access", email=other.email, channel="account", user=other)
    guest = cases.open_case(kind="access", email=customer.email, channel="web_form")

    page = signed_in.get(YOUR_DATA)

    assert mine.reference in page.text
    assert theirs.reference not in page.text
    assert guest.reference not in page.text


def test_erasure_shows_what_is_kept_and_opens_a_case_for_staff(customer, signed_in):
    page = signed_in.get(ERASE)

    assert "Your account" in page.text
    assert "because the law requires it" in page.text  # the invoiced order, 7 years
    assert "record deleted" in page.text
    refused = signed_in.post(ERASE, {"password": "guess"})
    assert "That is not your password." in refused.text
    assert not Case.objects.exists()

    done = signed_in.post(ERASE, {"password": DEMO_PASSWORD}, follow=True)

    case = Case.objects.get()
    assert (case.kind, case.status) == (Kind.ERASURE, Status.OPEN)  # waits for staff review
    assert case.identity_check == "logged-in account holder, password confirmed"
    assert f"Request {case.reference} received" in done.text
    assert "You have asked us to erase your account" in done.text
    assert customer.__class__.objects.filter(pk=customer.pk).exists()
    assert "already asked" in signed_in.get(ERASE).text
    signed_in.post(ERASE, {"password": DEMO_PASSWORD})
    assert Case.objects.count() == 1


def test_restrict_or_object_needs_a_reason_and_opens_a_case(customer, signed_in):
    empty = signed_in.post(RESTRICT, {"kind": "objection", "reason": "  "})
    assert empty.status_code == 200
    assert "Tell us which use of your data this is about." in empty.text
    assert not Case.objects.exists()

    done = signed_in.post(
        RESTRICT, {"kind": "restriction", "reason": "My address is wrong."}, follow=True
    )

    case = Case.objects.get()
    assert (case.kind, case.status, case.channel) == ("restriction", "open", "account")
    assert case.details == "My address is wrong."
    assert case.reference in done.text
    assert "My address is wrong." not in " ".join(case.events.values_list("detail", flat=True))


def test_too_many_requests_from_one_account_are_refused(customer, signed_in):
    for n in range(5):
        signed_in.post(RESTRICT, {"kind": "objection", "reason": f"reason {n}"})

    refused = signed_in.post(RESTRICT, {"kind": "objection", "reason": "one more"})

    assert refused.status_code == 429
    assert Case.objects.count() == 5


def test_every_post_needs_the_csrf_token(customer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(customer)

    assert strict.post(EXPORT).status_code == 403
    assert strict.post(ERASE, {"password": DEMO_PASSWORD}).status_code == 403
    assert strict.post(RESTRICT, {"kind": "objection", "reason": "x"}).status_code == 403
    assert not Case.objects.exists()
