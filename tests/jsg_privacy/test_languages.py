"""A Welsh-speaking visitor reads the banner, the notice, the forms, their letters and their export
in Welsh; the language switcher changes what pages say, never what the visitor chose."""

import io
import re
import zipfile

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from example_shop.factories import OrderFactory
from jsg_privacy.consent import groups
from jsg_privacy.requests import cases, service
from jsg_privacy.requests.models import Case, ExportFile

pytestmark = pytest.mark.django_db

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}
LANGUAGE = reverse("jsg_privacy:language")
LINK = re.compile(r"https?://testserver(/privacy/requests/(?:verify|download)/\S+/)")


def welsh_client():
    """A browser whose visitor chose Welsh with the switcher (the language cookie)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def versions_on(page):
    return re.search(r'data-versions="([^"]+)"', page).group(1)


def test_the_banner_speaks_welsh_to_a_browser_set_to_welsh(client):
    page = client.get("/", **WELSH).text

    assert '<html lang="cy">' in page
    for words in ("Derbyn y cyfan", "Gwrthod y cyfan", "Dewis", "Hysbysiad preifatrwydd"):
        assert words in page
    assert "Accept all" not in page
    assert "Reject all" not in page


def test_the_example_shops_own_pages_in_welsh(client):
    home = client.get("/", **WELSH).text
    for words in ("Cynhyrchion dan sylw", "Gofyn am ddyfynbris", "Eich hawliau data", "Basged"):
        assert words in home
    assert "Mae eich basged yn wag." in client.get("/cart/", **WELSH).text
    missing = client.get("/no-such-page/", **WELSH)
    assert missing.status_code == 404
    assert "Heb ddod o hyd i'r dudalen" in missing.text


def test_an_english_browser_still_reads_english(client):
    page = client.get("/", **ENGLISH).text
    assert '<html lang="en-gb">' in page
    assert "Accept all" in page
    assert "Derbyn y cyfan" not in page


def test_the_privacy_notice_in_welsh(client):
    page = client.get(reverse("jsg_privacy:notice"), **WELSH).text
    for heading in ("Pwy ydym ni", "Eich hawliau", "Cwcis"):
        assert heading in page
    assert "Who we are" not in page


def test_the_cookie_settings_page_in_welsh():
    page = welsh_client().get(reverse("jsg_privacy:cookies")).text
    assert "Cadw fy newisiadau" in page
    assert "Cwcis cwbl angenrheidiol" in page


def test_the_request_form_and_its_errors_in_welsh():
    client = welsh_client()
    form = client.get(reverse("jsg_privacy:requests:new")).text
    assert "Eich cyfeiriad e-bost" in form
    assert "Anfon fy nghais" in form

    refused = client.post(
        reverse("jsg_privacy:requests:new"), {"email": "not an address", "kind": "access"}
    )
    assert refused.status_code == 200
    assert "Enter a valid email address" not in refused.text  # Django's own message, in Welsh too
    assert "Rhowch gyfeiriad ebost dilys" in refused.text
    assert not mail.outbox


def test_a_welsh_request_is_answered_in_welsh_even_when_confirmed_from_an_english_browser(
    django_capture_on_commit_callbacks,
):
    OrderFactory(email="megan@example.net")
    welsh_client().post(
        reverse("jsg_privacy:requests:new"), {"email": "megan@example.net", "kind": "access"}
    )
    case = Case.objects.get()
    (confirm,) = mail.outbox
    assert confirm.subject == f"Cadarnhewch eich cais data {case.reference}"

    english = Client()  # the link opened on another device, set to English
    with django_capture_on_commit_callbacks(execute=True):
        english.post(LINK.search(confirm.body).group(1), **ENGLISH)

    subjects = [m.subject for m in mail.outbox[1:]]
    assert f"Mae eich cais data {case.reference} gennym" in subjects  # the acknowledgement
    assert f"Mae eich data yn barod i'w lawrlwytho ({case.reference})" in subjects
    acknowledgement = next(m for m in mail.outbox if "gennym" in m.subject)
    assert f"Rydym wedi derbyn eich cais {case.reference}" in acknowledgement.body

    stored = ExportFile.objects.get(case=case)
    with service.storage().open(stored.name) as handle:
        index = zipfile.ZipFile(io.BytesIO(handle.read())).read("index.html").decode()
    assert "Eich data personol" in index
    assert "Your personal data" not in index


def test_a_letter_staff_send_later_is_in_the_requesters_language(customer_in_welsh):
    case = customer_in_welsh
    mail.outbox.clear()

    cases.extend(case, months=1, reason="Mae angen gwirio pob archeb.")  # staff, in English

    (letter,) = mail.outbox
    assert letter.subject == f"Mae angen mwy o amser ar eich cais data {case.reference}"
    assert "Pam: Mae angen gwirio pob archeb." in letter.body


def test_a_request_staff_take_by_phone_is_answered_in_the_shops_language(
    django_capture_on_commit_callbacks,
):
    # Whatever language the member of staff reads the admin in.
    with translation.override("cy"), django_capture_on_commit_callbacks(execute=True):
        case = cases.open_case(
            kind="restriction", email="ann@example.com", channel="phone", identity_check="call"
        )
    assert case.language == ""
    (letter,) = mail.outbox
    assert letter.subject == f"We have your data request {case.reference}"


@pytest.fixture
def customer_in_welsh(django_capture_on_commit_callbacks):
    """A request made on the Welsh account page, open, its clock running."""
    with translation.override("cy"), django_capture_on_commit_callbacks(execute=True):
        case = cases.open_case(
            kind="rectification", email="megan@example.net", channel="account", identity_check="x"
        )
    assert case.language == "cy"
    return case


def test_the_switcher_is_on_every_page_and_marks_the_current_language(client):
    page = client.get("/privacy/notice/", **WELSH).text
    switcher = re.search(r'<form class="jsg-privacy__languages".*?</form>', page, re.S).group(0)
    assert f'action="{LANGUAGE}"' in switcher
    assert 'name="next" value="/privacy/notice/"' in switcher
    assert re.search(r'value="cy" lang="cy"[^>]*aria-current="true">Cymraeg<', switcher)
    assert 'value="en-gb" lang="en-gb" class="jsg-privacy__language">English<' in switcher
    assert ">Français<" in switcher
    assert (
        "csrfmiddlewaretoken" not in page
    )  # no CSRF cookie on a first visit: pages stay cacheable


def test_switching_language_comes_back_to_the_same_page_in_that_language(client):
    response = client.post(
        LANGUAGE, {"language": "en-gb", "next": "/privacy/notice/"}, **SAME_SITE, **WELSH
    )
    assert response.status_code == 302
    assert response["Location"] == "/privacy/notice/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-gb"

    page = client.get("/privacy/notice/", **WELSH).text  # the choice beats the browser's header
    assert "Who we are" in page
    assert "Pwy ydym ni" not in page


def test_a_language_change_from_another_site_is_refused(client):
    response = client.post(
        LANGUAGE,
        {"language": "cy", "next": "/"},
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize(
    ("data", "goes_to"),
    [
        ({"language": "xx", "next": "/cart/"}, "/cart/"),  # unknown: nothing changes
        ({"language": "cy", "next": "https://evil.example/"}, "/"),  # never off the site
        ({"next": "/cart/"}, "/cart/"),
    ],
)
def test_bad_input_to_the_switcher_changes_nothing_or_stays_on_the_site(client, data, goes_to):
    response = client.post(LANGUAGE, data, **SAME_SITE)
    assert response.status_code == 302
    assert response["Location"] == goes_to
    if data.get("language") != "cy":
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switcher_changes_nothing_on_get(client):
    assert client.get(LANGUAGE, {"language": "cy"}).status_code == 405


def test_a_shop_offering_one_language_shows_no_switcher(client, settings):
    settings.LANGUAGES = [("en-gb", "English")]
    assert "jsg-privacy__languages" not in client.get("/").text


def test_a_choice_made_in_welsh_stands_in_english(client):
    welsh_page = client.get("/", **WELSH).text
    chosen = client.post(  # "Dewis", analytics ticked, "Cadw fy newisiadau"
        reverse("jsg_privacy:cookies-save"),
        {"groups": "analytics", "next": "/"},
        **SAME_SITE,
        **WELSH,
    )
    assert chosen.status_code == 302
    client.post(LANGUAGE, {"language": "en-gb", "next": "/"}, **SAME_SITE)

    english_page = client.get("/").text
    assert "Accept all" in english_page
    assert versions_on(english_page) == versions_on(welsh_page)  # no new question in English
    status = client.get(reverse("jsg_privacy:cookies-status")).json()
    assert status["decided"]
    assert {g["key"]: g["accepted"] for g in status["groups"]} == {
        "analytics": True,
        "marketing": False,
    }
    assert "Analytics cookies" in {g["label"] for g in status["groups"]}


def test_cookie_groups_have_one_version_in_every_language():
    with translation.override("cy"):
        welsh = {g.key: (g.label, g.version) for g in groups.current()}
    with translation.override("fr"):
        french = {g.key: (g.label, g.version) for g in groups.current()}
    with translation.override("en-gb"):
        english = {g.key: (g.label, g.version) for g in groups.current()}
    assert {k: v for k, (_, v) in welsh.items()} == {k: v for k, (_, v) in english.items()}
    assert {k: v for k, (_, v) in french.items()} == {k: v for k, (_, v) in english.items()}
    assert welsh["analytics"][0] != english["analytics"][0]  # the wording itself is translated


def language_checks():
    from django.core import checks

    return [m for m in checks.run_checks(tags=["translation"]) if m.id.startswith("jsg_privacy.")]


def test_the_example_shops_languages_pass_the_checks():
    assert language_checks() == []


def test_languages_without_locale_middleware_are_reported(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "LocaleMiddleware" not in m]
    (warning,) = language_checks()
    assert warning.id == "jsg_privacy.W094"
    assert "every visitor reads LANGUAGE_CODE" in warning.msg


def test_a_language_with_no_catalogue_is_reported(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("de", "Deutsch"), ("en-us", "English (US)")]
    (warning,) = language_checks()
    assert warning.id == "jsg_privacy.W095"
    assert "no translation for de in LANGUAGES" in warning.msg


def test_a_welsh_erasure_tells_the_requester_in_welsh_and_the_recipients_in_english(
    django_capture_on_commit_callbacks,
):
    OrderFactory(email="megan@example.net", invoiced_at=timezone.now())
    with translation.override("cy"), django_capture_on_commit_callbacks(execute=True):
        case = cases.open_case(
            kind="erasure", email="megan@example.net", channel="web_form", identity_check="link"
        )
        cases.confirm_address(case, "opened the link")
    mail.outbox.clear()

    # Erased by a member of staff who reads the admin in French.
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        service.run_erasure(case.pk)

    to_megan = [m for m in mail.outbox if m.to == ["megan@example.net"]]
    to_partners = [m for m in mail.outbox if m.to != ["megan@example.net"]]
    assert [m.subject for m in to_megan] == [f"Mae eich cais data {case.reference} wedi'i gwblhau"]
    assert "Rydym wedi dileu eich data personol" in to_megan[0].body
    assert to_partners, "the recipients that received her order are told"
    for notice in to_partners:
        assert notice.subject.startswith("Erasure of personal data we shared with you")
        assert "please erase what you received from us" in notice.body
