"""PECR Sch. A1 (Data (Use and Access) Act 2025): the example shop's first-party analytics rests on
the statistical exception for UK visitors — on without a prompt, one click to object, ledgered,
cookies deleted — while visitors elsewhere are still asked."""

import json
import re
from datetime import timedelta

import pytest
from django.core import signing
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from jsg_privacy import registry as privacy
from jsg_privacy.consent import groups, objection, routes
from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.notice import record
from jsg_privacy.templatetags.jsg_privacy import consent_mode_regions

pytestmark = pytest.mark.django_db
STATUS = reverse("jsg_privacy:cookies-status")
OBJECT = reverse("jsg_privacy:cookies-object")
DECLINE = reverse("jsg_privacy:cookies-decline")


@pytest.fixture
def uk(settings):
    settings.JSG_PRIVACY_DEFAULT_COUNTRY = "GB"
    return settings


def accepted(client, **headers):
    return {g["key"]: g["accepted"] for g in client.get(STATUS, **headers).json()["groups"]}


def records():
    return list(ConsentRecord.objects.values_list("purpose", "action", "channel"))


def test_a_uk_visitor_gets_first_party_analytics_without_a_prompt_but_is_asked_about_ads(
    client, uk
):
    assert groups.by_key()["analytics"].route == privacy.StorageRoute.STATISTICAL
    status = client.get(STATUS).json()
    assert {g["key"]: g["accepted"] for g in status["groups"]} == {
        "analytics": True,
        "marketing": None,
    }
    assert status["decided"] is False  # the banner still asks about marketing
    request = RequestFactory().get("/")
    html = Template('{% load jsg_privacy %}{% ifconsent "analytics" %}TAG{% endifconsent %}')
    assert html.render(Context({"request": request})) == "TAG"
    assert records() == []  # nothing asked, nothing given: nothing to ledger


def test_visitors_elsewhere_are_still_asked(client, settings):
    settings.JSG_PRIVACY_DEFAULT_COUNTRY = "GB"
    settings.JSG_PRIVACY_COUNTRY_HEADER = "CF-IPCountry"
    assert accepted(client, HTTP_CF_IPCOUNTRY="DE") == {"analytics": None, "marketing": None}
    assert accepted(client, HTTP_CF_IPCOUNTRY="gb")["analytics"] is True
    assert accepted(client, HTTP_CF_IPCOUNTRY="<script>")["analytics"] is True  # default: GB
    assert "CF-IPCountry" in client.get(STATUS)["Vary"]  # per-visitor answers vary on it
    assert "CF-IPCountry" in client.get(reverse("jsg_privacy:cookies-state-css"))["Vary"]
    settings.JSG_PRIVACY_DEFAULT_COUNTRY = "FR"
    assert accepted(client)["analytics"] is None


def test_one_click_objection_from_the_notice_deletes_the_cookies_and_is_ledgered(client, uk):
    notice = client.get(reverse("jsg_privacy:notice"))
    assert "No: on unless you object (UK only)" in notice.text  # the cookie table's route
    assert "Object to Analytics cookies" in notice.text
    token = re.search(r'name="token" value="([^"]+)"', notice.text).group(1)

    client.cookies["_sa_id"] = "visitor-42"
    client.cookies["_sa_s_1"] = "visit"
    response = client.post(OBJECT, {"token": token})
    assert response.status_code == 200
    assert "now off" in response.text
    for name in ("_sa_id", "_sa_s_1"):
        assert response.cookies[name]["max-age"] == 0  # deleted
    assert records() == [("analytics", "objected", "notice")]
    assert accepted(client)["analytics"] is False
    # The objection stands on later pages: the cookies are deleted again if a script re-sets them.
    client.cookies["_sa_id"] = "again"
    later = client.get(reverse("jsg_privacy:cookies"))
    assert later.cookies["_sa_id"]["max-age"] == 0


def test_a_forged_or_out_of_date_objection_changes_nothing_and_says_so(client, uk):
    client.cookies["_sa_id"] = "visitor-42"
    forged = client.post(OBJECT, {"token": "analytics:forged"})
    assert forged.status_code == 400
    assert "nothing was changed" in forged.text
    stale = signing.dumps({"g": "analytics", "v": "0" * 12}, salt=objection.SALT)
    out_of_date = client.post(OBJECT, {"token": stale})
    assert out_of_date.status_code == 410
    assert "out of date" in out_of_date.text
    ads = signing.dumps(
        {"g": "marketing", "v": groups.by_key()["marketing"].version}, salt=objection.SALT
    )
    assert client.post(OBJECT, {"token": ads}).status_code == 410  # not an exception group
    assert client.get(OBJECT).status_code == 405
    assert client.post(OBJECT, {}).status_code == 400
    assert records() == []
    assert "_sa_id" not in forged.cookies
    assert accepted(client)["analytics"] is True


def test_reject_all_also_objects_so_no_non_essential_storage_remains(client, uk):
    client.cookies["_sa_id"] = "visitor-42"
    client.cookies["_adclick"] = "ad"
    response = client.post(DECLINE, {"all": "1", "next": "/"})
    assert sorted(records()) == [
        ("analytics", "objected", "banner"),
        ("marketing", "refused", "banner"),
    ]
    assert response.cookies["_sa_id"]["max-age"] == 0
    assert response.cookies["_adclick"]["max-age"] == 0
    assert accepted(client) == {"analytics": False, "marketing": False}


def test_the_settings_page_offers_the_objection_in_one_click(client, uk):
    page = client.get(reverse("jsg_privacy:cookies"))
    assert "Cookies on unless you object" in page.text
    assert 'name="groups" value="analytics"' in page.text
    client.post(DECLINE, {"groups": "analytics", "channel": "preferences", "next": "/"})
    assert records() == [("analytics", "objected", "preferences")]
    assert "Cookies on unless you object" not in client.get(reverse("jsg_privacy:cookies")).text


def test_the_art_30_record_names_the_route():
    analytics = record.activity(privacy.registry, "analytics")
    assert (
        "cookie _sa_id (storage: statistical exception (PECR Sch. A1): on unless you object)"
        in (analytics.sources)
    )


def test_the_check_refuses_an_exception_for_third_party_or_shared_cookies():
    assert routes.route_problems() == []  # the example shop's analytics is first-party only
    with privacy.temporarily():
        privacy.registry.add(
            privacy.Purpose(
                "layout",
                "Remembering your layout",
                privacy.Basis.LEGITIMATE_INTERESTS,
                ("cookies",),
                balancing_note="Needed to show the page as you set it.",
                storage_route=privacy.StorageRoute.APPEARANCE,
            ),
            privacy.Cookie(
                "vendor_ui", "A widget vendor", "layout", timedelta(days=30), third_party=True
            ),
            privacy.Cookie("_adclick*", "Our layout", "layout", timedelta(days=30)),
        )
        found = {(m.id, m.msg.split(" ")[1]) for m in routes.route_problems()}
    assert found == {("jsg_privacy.E070", "vendor_ui"), ("jsg_privacy.E071", "_adclick*")}


def test_consent_mode_defaults_name_every_type_and_grant_only_statistics_where_allowed(settings):
    settings.JSG_PRIVACY_GOOGLE_CONSENT_MODE = True
    settings.JSG_PRIVACY_CONSENT_MODE_WAIT_FOR_UPDATE = 800
    head = Template("{% load jsg_privacy %}{% consent_head %}").render(
        Context({"request": RequestFactory().get("/")})
    )
    script = re.search(r"<script[^>]*consent-mode\.js[^>]*>", head).group(0)
    data = {k: v.replace("&quot;", '"') for k, v in re.findall(r'data-(\w+)="([^"]*)"', script)}
    assert json.loads(data["types"]) == [
        "ad_storage",
        "ad_user_data",
        "ad_personalization",
        "analytics_storage",
        "functionality_storage",
        "personalization_storage",
        "security_storage",
    ]
    assert json.loads(data["always"]) == ["security_storage"]
    assert json.loads(data["regions"]) == {"countries": ["GB"], "grant": ["analytics_storage"]}
    assert data["wait"] == "800"
    with privacy.temporarily():  # an advertising group can never be granted by region
        privacy.registry.add(
            privacy.Purpose(
                "marketing",
                "Ads",
                privacy.Basis.LEGITIMATE_INTERESTS,
                ("cookies",),
                balancing_note="-",
                storage_route=privacy.StorageRoute.STATISTICAL,
            )
        )
        assert consent_mode_regions()["grant"] == ["analytics_storage"]


def test_local_storage_is_declared_shown_and_never_taken_for_a_cookie(client):
    analytics = groups.by_key()["analytics"]
    assert analytics.storage_keys() == {"local_storage": ["_sa_last_visit"]}
    assert not analytics.matches("_sa_last_visit")  # a cookie of that name is not this item
    notice = client.get(reverse("jsg_privacy:notice")).text
    assert "<code>_sa_last_visit</code> (local storage)" in notice
    assert "until you object or clear your browser&#x27;s storage" in notice
    banner = Template("{% load jsg_privacy %}{% consent_banner %}").render(
        Context({"request": RequestFactory().get("/")})
    )
    assert (
        'data-storage="{&quot;analytics&quot;:{&quot;local_storage&quot;:[&quot;_sa_last_visit&quot;]}}"'
        in banner
    )
