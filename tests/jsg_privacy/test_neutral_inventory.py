"""A plain shop's notice claims only what it does: neutral wording, and no feature it did not switch on.

The minimal shop is the example shop with everything of its own withdrawn: a plain Django shop that
declares its users and nothing else, takes no payment through jsg_privacy, has no usage middleware
and switched on neither partner marketing nor testimonials. Switching a feature on adds exactly its
part of the notice, the Art. 30 record, exports and checks.
"""

import io
import json
import re
import zipfile

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.checks import WARNING, run_checks
from django.test import RequestFactory, override_settings
from django.urls import reverse

from example_shop.accounts.privacy import UserSource
from jsg_privacy import features, inventory
from jsg_privacy import registry as privacy
from jsg_privacy.consent import install as consent_install
from jsg_privacy.flows import export
from jsg_privacy.flows.sessions import SessionSource
from jsg_privacy.marketing import api, wording
from jsg_privacy.marketing.choices import Person
from jsg_privacy.marketing.forms import MarketingPreferencesForm
from jsg_privacy.notice import content, record
from jsg_privacy.registry import registry
from jsg_privacy.usage.models import UsageEvent

pytestmark = pytest.mark.django_db

#: The smart-meter shop's words: never in the built-in inventory.
SMART_METER_WORDS = ("meter", "installation", "appointment", "quote", "mpan")
SMART_METER = re.compile(r"\b(meters?|installations?|appointments?|quot\w*|mpan)\b", re.IGNORECASE)
#: Words only a feature the minimal shop did not switch on could put in its notice.
FEATURE_WORDS = (
    "payment",
    "card",
    "stripe",
    "disclosure",
    "partner",
    "testimonial",
    "ip address",
    "pages you visit",
    "searches",
)
#: Apps a plain Django shop has; the example shop's and the test suite's are withdrawn.
PLAIN_APPS = {"admin", "auth", "contenttypes", "sessions", "messages", "cookie_consent"}
WITHOUT_USAGE_MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != features.USAGE_MIDDLEWARE]
WITH_USAGE_MIDDLEWARE = [*WITHOUT_USAGE_MIDDLEWARE, features.USAGE_MIDDLEWARE]
ALL_OFF = {
    "JSG_PRIVACY_PAYMENT_ADAPTER": "",
    "JSG_PRIVACY_MARKETING_PARTNERS": False,
    "JSG_PRIVACY_MARKETING_TESTIMONIALS": False,
    "MIDDLEWARE": WITHOUT_USAGE_MIDDLEWARE,
}
#: Each feature's switch, as a shop writes it.
SWITCH_ON = {
    "payments": {"JSG_PRIVACY_PAYMENT_ADAPTER": "example_shop.orders.payments.OrderPaymentAdapter"},
    "partner_marketing": {"JSG_PRIVACY_MARKETING_PARTNERS": True},
    "testimonials": {"JSG_PRIVACY_MARKETING_TESTIMONIALS": True},
    "usage_logging": {"MIDDLEWARE": WITH_USAGE_MIDDLEWARE},
}


@pytest.fixture
def minimal_shop():
    """The registry of a plain Django shop that declares its users, with every feature off."""
    with registry.temporarily(), override_settings(**ALL_OFF):
        ours = ("jsg_privacy.", SessionSource.key)  # Django's sessions are declared by jsg_privacy
        for key in [k for k in registry.sources if not k.startswith(ours)]:
            registry.unregister(key)
        registry.remove(*[k for k in registry.recipients if k != inventory.COURT_ORDER.key])
        registry.remove(*list(registry.cookies))
        registry.remove(inventory.PARTNER_MARKETING)  # the example shop's wording of it
        inventory.install(registry)  # the built-in wording, not the example shop's
        consent_install.install(registry)
        for model in apps.get_models():
            if model._meta.app_label not in PLAIN_APPS | {"jsg_privacy"}:
                registry.exempt(model, reason="Not part of the minimal shop.")
        registry.register("auth.User", UserSource)  # users, declared as any shop would
        yield registry


def notice_of(client):
    return client.get(reverse("jsg_privacy:notice-json")).json()["notice"]


def purposes_in(notice):
    return {p["key"] for c in notice["categories"] for p in c["purposes"]}


def sources_in(notice):
    return {(c["key"], item["source"]) for c in notice["categories"] for item in c["collected"]}


def jsg_check_ids():
    """Warnings and errors (I001, information on fields left in clear, is the shop's decision)."""
    return {m.id for m in run_checks() if m.id.startswith("jsg_privacy.") and m.is_serious(WARNING)}


def export_of(user):
    buffer = io.BytesIO()
    export.export(privacy.Subject(user_id=user.pk, email=user.email), buffer)
    with zipfile.ZipFile(buffer) as archive:
        return json.loads(archive.read("data.json")), archive.read("index.html").decode()


def test_no_built_in_category_or_purpose_speaks_of_meters_installations_or_quotes():
    texts = [
        str(getattr(declaration, name, "")).lower()
        for declaration in (
            *inventory.CATEGORIES,
            *inventory.PURPOSES,
            inventory.NECESSARY_PURPOSE,
            inventory.PARTNER_MARKETING_PURPOSE,
            inventory.TESTIMONIALS_PURPOSE,
        )
        for name in ("label", "description", "balancing_note")
    ]
    assert SMART_METER.pattern.count("|") + 1 == len(SMART_METER_WORDS)
    assert [t for t in texts if SMART_METER.search(t)] == []


def test_a_minimal_shops_notice_claims_nothing_it_does_not_do(minimal_shop, client):
    notice = notice_of(client)
    text = json.dumps(notice, ensure_ascii=False).lower()

    assert SMART_METER.findall(text) == []
    for word in FEATURE_WORDS:
        assert word not in text, word
    assert {c["key"] for c in notice["categories"]} == {
        "account",
        "correspondence",
        "usage",
        "cookies",
        "marketing",
    }
    assert not {"partner_marketing", "testimonials", "analytics"} & purposes_in(notice)
    # Its own records: requests (kept as proof) and the staff access log (security only).
    usage = next(c for c in notice["categories"] if c["key"] == "usage")
    assert [p["key"] for p in usage["purposes"]] == ["security"]
    correspondence = next(c for c in notice["categories"] if c["key"] == "correspondence")
    assert [p["key"] for p in correspondence["purposes"]] == ["legal_claims", "rights_requests"]
    assert [r["key"] for r in notice["transfers"]] == []
    assert {c["name"] for c in notice["cookies"]} == {
        "sessionid",
        "csrftoken",
        "messages",
        "jsg_consent",
        "jsg_consent_ui",
    }


def test_a_minimal_shops_record_export_and_checks_claim_nothing_either(
    minimal_shop, django_user_model
):
    the_record = json.dumps(record.build(minimal_shop), ensure_ascii=False).lower()
    user = django_user_model.objects.create_user("ann", "ann@example.com", "pw")
    data, index = export_of(user)

    assert SMART_METER.findall(the_record) == []
    assert SMART_METER.findall(index) == []
    for word in FEATURE_WORDS:
        assert word not in the_record, word
        assert word not in index.lower(), word
    assert [s["key"] for s in data["sources"] if s["key"].startswith("jsg_privacy.")] == [
        "jsg_privacy.MarketingConsent",
        "jsg_privacy.Suppression",
        "jsg_privacy.Case",
        "jsg_privacy.Restriction",
        "jsg_privacy.Objection",
        "jsg_privacy.Clarification",
        "jsg_privacy.Letter",
        "jsg_privacy.AddressProof",
        "jsg_privacy.RecipientNotice",
        "jsg_privacy.StaffAccess",
    ]
    # No key for Stripe is asked for (E017-E019), and the feature tables need no declaration.
    assert jsg_check_ids() == set()


def test_a_minimal_shop_takes_no_payment_logs_no_visit_and_offers_no_optional_box(
    minimal_shop, client, django_user_model
):
    user = django_user_model.objects.create_user("ann", "ann@example.com", "pw")
    request = RequestFactory().post("/account/login/")

    authenticate(request, username="ann", password="wrong")  # a failed log-in

    assert client.get(reverse("jsg_privacy:payments:pay", args=["ORDER-1"])).status_code == 404
    assert client.post(reverse("jsg_privacy:payments:webhook", args=["stripe"])).status_code == 404
    assert not UsageEvent.objects.exists()
    assert [box.name for box in wording.boxes(testimonials=True)] == list(wording.media())
    form = MarketingPreferencesForm(person=Person.of(user=user))
    assert not {"marketing_partners", "marketing_testimonials"} & set(form.fields)
    with pytest.raises(ValueError, match="Unknown marketing boxes"):
        api.record_choices({"partners": True}, user=user)
    assert "partners" not in wording.unsubscribe_text(wording.ALL)[1]


@pytest.mark.parametrize("feature", list(SWITCH_ON))
def test_switching_a_feature_on_adds_exactly_its_part(minimal_shop, client, feature):
    before = notice_of(client)
    before_checks = jsg_check_ids()
    with override_settings(**SWITCH_ON[feature]):
        assert features.enabled()[feature]
        after = notice_of(client)
        checks = jsg_check_ids()
        measures = content.security_measures()
    added_sources = sources_in(after) - sources_in(before)
    added_purposes = purposes_in(after) - purposes_in(before)
    assert sources_in(before) <= sources_in(after)
    assert purposes_in(before) <= purposes_in(after)

    if feature == "payments":
        assert added_sources == {
            ("transaction", "Your payments"),
            ("transaction", "What we sent to payment providers"),
        }
        assert added_purposes == {"record_keeping"}  # what transaction data is kept for
        assert "Payment card details never reach our systems" in " ".join(measures)
        # The minimal shop declares no payment provider: its gateway could send nothing.
        assert checks - before_checks == {"jsg_privacy.W060"}
    elif feature == "partner_marketing":
        assert added_sources == set()
        assert added_purposes == {"partner_marketing"}
        marketing = next(c for c in after["categories"] if c["key"] == "marketing")
        assert "partner_marketing" in [p["key"] for p in marketing["purposes"]]
        assert checks - before_checks == {"jsg_privacy.W012"}  # who are the partners?
    elif feature == "testimonials":
        assert added_sources == set()
        assert added_purposes == {"testimonials"}
        marketing = next(c for c in after["categories"] if c["key"] == "marketing")
        assert "testimonials" in [p["key"] for p in marketing["purposes"]]
        assert checks == before_checks
    else:
        assert added_sources == {("usage", "Your visits to our website")}
        assert added_purposes == set()  # security events; no analytics cookie, no page view
        assert checks == before_checks
    # Switched off again, the notice is the minimal shop's.
    assert notice_of(client) == before


def test_partner_marketing_names_the_partners_once_they_are_declared(minimal_shop, client):
    with override_settings(JSG_PRIVACY_MARKETING_PARTNERS=True):
        registry.add(inventory.CHANNEL_PARTNERS)
        notice = notice_of(client)
        checks = jsg_check_ids()

    marketing = next(c for c in notice["categories"] if c["key"] == "marketing")
    assert "channel_partners" in [r["key"] for r in marketing["recipients"]]
    assert "jsg_privacy.W012" not in checks


def test_usage_logging_counts_visits_only_where_visitors_can_consent_to_analytics(
    minimal_shop, client
):
    registry.add(privacy.Cookie("_sa_id", "this website", inventory.ANALYTICS, None, "Visits."))
    without_logging = notice_of(client)
    with override_settings(MIDDLEWARE=WITH_USAGE_MIDDLEWARE):
        with_logging = notice_of(client)

    def usage_purposes(notice):
        usage = next(c for c in notice["categories"] if c["key"] == "usage")
        return [p["key"] for p in usage["purposes"]]

    assert usage_purposes(without_logging) == ["security"]  # the staff access log
    assert usage_purposes(with_logging) == ["security", "analytics"]


def test_usage_logging_records_a_failed_log_in_only_while_switched_on(minimal_shop, client):
    request = RequestFactory().post("/account/login/")
    with override_settings(MIDDLEWARE=WITH_USAGE_MIDDLEWARE):
        authenticate(request, username="nobody", password="wrong")
    assert UsageEvent.objects.count() == 1
    with override_settings(MIDDLEWARE=WITH_USAGE_MIDDLEWARE, JSG_PRIVACY_USAGE_LOGGING=False):
        assert not features.usage_logging()
        assert "jsg_privacy.UsageEvent" not in registry.sources
        authenticate(request, username="nobody", password="wrong")
    assert UsageEvent.objects.count() == 1


def test_the_shop_rewords_a_built_in_without_changing_its_key(minimal_shop, client):
    registry.add(
        inventory.category(inventory.ACCOUNT, description="Your name and e-mail address."),
        inventory.purpose(inventory.SECURITY, description="Keeping your account safe."),
    )
    notice = notice_of(client)

    account = next(c for c in notice["categories"] if c["key"] == "account")
    assert account["description"] == "Your name and e-mail address."
    security = next(p for p in account["purposes"] if p["key"] == "security")
    assert security["description"] == "Keeping your account safe."
    assert security["balancing_note"] == str(inventory.purpose(inventory.SECURITY).balancing_note)
    with pytest.raises(LookupError):
        inventory.purpose("meter_reading")


def test_a_feature_switched_off_and_on_again_keeps_its_place_in_the_notice_and_exports(
    minimal_shop,
):
    """Exports made by a Celery worker (whose settings never changed) and by the web process (after
    a switch went off and on again) list the sources in the same order."""
    with override_settings(MIDDLEWARE=WITH_USAGE_MIDDLEWARE):
        before = list(registry.sources)
        assert "jsg_privacy.UsageEvent" in before
        assert before[-1] != "jsg_privacy.UsageEvent", "the test needs sources declared after it"
        with override_settings(JSG_PRIVACY_USAGE_LOGGING=False):
            assert "jsg_privacy.UsageEvent" not in registry.sources
        assert list(registry.sources) == before


def test_the_plain_shops_notice_reads_plainly_and_uses_no_internal_terms(minimal_shop, client):
    from django.core.cache import cache

    from tests.jsg_privacy.readability import flesch_reading_ease, internal_terms, text_of

    cache.clear()
    page = client.get(reverse("jsg_privacy:notice")).content.decode()
    article = re.search(r"<article\b.*</article>", page, re.S).group(0)
    assert internal_terms(text_of(article, drop_code=True)) == []
    summary = re.search(r'<section class="jsg-privacy__summary".*?</section>', article, re.S)
    assert flesch_reading_ease(text_of(summary.group(0))) >= 60
    # A plain shop names no group company or partner, and no firm but the courts gets data.
    assert "other firm" not in summary.group(0)
    assert "No decision about you is made by a computer alone." in summary.group(0)
