import json

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from jsg_privacy import inventory, signals
from jsg_privacy import registry as privacy
from jsg_privacy.models import NoticeVersion
from jsg_privacy.registry import registry

CONTROLLER = {
    "name": "JSG Metering Solutions Ltd",
    "address": "1 Meter Way, Basildon SS14 3AB",
    "email": "privacy@jsg.example",
    "phone": "01268 773766",
    "privacy_manager": {"name": "Veronica Lawless", "email": "privacy@jsg.example"},
    "ico_registration": "ZA000001",
}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@override_settings(JSG_PRIVACY_CONTROLLER=CONTROLLER)
def test_the_notice_says_who_the_controller_is_and_how_to_complain(client):
    page = client.get(reverse("jsg_privacy:notice")).content.decode()
    assert "JSG Metering Solutions Ltd is the controller" in page
    assert "Veronica Lawless" in page
    assert "registered with the Information Commissioner's Office under number ZA000001" in page
    assert "https://ico.org.uk/make-a-complaint/" in page
    for right in ("Access", "Rectification", "Erasure", "Restriction", "Objection", "Portability"):
        assert f"<dt>{right}</dt>" in page


def test_each_declared_category_shows_fields_purposes_recipients_and_retention(client):
    content = client.get(reverse("jsg_privacy:notice-json")).json()["notice"]
    correspondence = next(c for c in content["categories"] if c["key"] == "correspondence")
    assert {
        "source": "Tickets",
        "fields": ["e-mail address", "phone number", "subject", "body"],
    } in (correspondence["collected"])
    assert "Customer and technical support" in [p["label"] for p in correspondence["purposes"]]
    claims = next(p for p in correspondence["purposes"] if p["key"] == "legal_claims")
    assert claims["article"] == "Art. 6(1)(f)"
    assert claims["balancing_note"]
    assert {
        "source": "Tickets",
        "rule": "Kept for 6 months after closed at, then deleted; otherwise 6 months after created at. On erasure: deleted.",
    } in (correspondence["retention"])
    assert "Courts and authorities, on a court order" in [
        r["name"] for r in correspondence["recipients"]
    ]


@privacy.temporarily()
def test_a_transfer_shows_its_country_and_safeguard(client):
    registry.add(inventory.SUPPLIERS_CHINA)
    registry.unregister("testapp.Ticket")

    @privacy.register("testapp.Ticket")
    class TicketWithOrder(privacy.ModelSource):
        subject = "user"
        fields = {"order": ["email", "phone"], "correspondence": ["subject", "body"]}
        retention = privacy.Retention(anchor="closed_at")

    page = client.get(reverse("jsg_privacy:notice")).content.decode()
    assert "<strong>Suppliers and manufacturers in China</strong>" in page
    assert (
        "Where: China, outside the UK. Your data is protected there by standard contractual "
        "clauses with the UK Addendum." in page
    )


def test_the_second_render_of_a_version_runs_no_queries(client, django_assert_num_queries):
    client.get(reverse("jsg_privacy:notice"))
    with django_assert_num_queries(0):
        response = client.get(reverse("jsg_privacy:notice"))
    assert response.status_code == 200


def test_a_changed_declaration_publishes_a_new_version_and_keeps_the_old(client):
    published = []

    def receiver(sender, version, **kwargs):
        published.append(version.digest)

    signals.notice_published.connect(receiver)
    try:
        first = client.get(reverse("jsg_privacy:notice-json")).json()
        client.get(reverse("jsg_privacy:notice"))  # same content: no new version
        with registry.temporarily():
            registry.add(privacy.Cookie("theme", "this website", "preferences", None, "Dark mode."))
            privacy.add_consent_mechanism("preferences", "cookie banner")
            second = client.get(reverse("jsg_privacy:notice-json")).json()
    finally:
        signals.notice_published.disconnect(receiver)

    assert first["version"] != second["version"]
    assert published == [first["version"], second["version"]]
    assert NoticeVersion.objects.count() == 2
    history = client.get(reverse("jsg_privacy:notice-history")).content.decode()
    assert first["version"][:12] in history
    assert second["version"][:12] in history
    old = client.get(
        reverse("jsg_privacy:notice-version", args=[second["version"]])
    ).content.decode()
    assert "Dark mode." in old  # the past version is shown as it was, not as the registry is now
    current = client.get(reverse("jsg_privacy:notice")).content.decode()
    assert "Dark mode." not in current


def test_the_json_is_the_same_content_as_the_page(client):
    data = client.get(reverse("jsg_privacy:notice-json")).json()
    page = client.get(reverse("jsg_privacy:notice")).content.decode()
    assert f'data-notice-version="{data["version"]}"' in page
    assert json.dumps(data["notice"])  # plain JSON, no lazy strings
    for category in data["notice"]["categories"]:
        assert f'id="category-{category["key"]}"' in page


def test_an_unknown_version_is_404(client):
    assert client.get(reverse("jsg_privacy:notice-version", args=["0" * 64])).status_code == 404


def test_the_notice_refuses_writes(client):
    assert client.post(reverse("jsg_privacy:notice")).status_code == 405


class CrmContacts(privacy.RemoteSource):
    key = "crm.contacts"
    label = "Contacts in our CRM"
    fields = {"account": ["name", "email"]}
    origins = (privacy.Origin.GROUP_COMPANY,)
    retention = privacy.Retention(anchor="last_contacted", period=privacy.Period(years=2))

    def export(self, subject):
        return [{"name": "Ann", "email": subject.email}]

    def erase(self, subject):
        return 1


@privacy.temporarily()
def test_a_remote_source_is_part_of_the_notice_like_a_model(client):
    privacy.register_remote(CrmContacts())
    account = next(
        c
        for c in client.get(reverse("jsg_privacy:notice-json")).json()["notice"]["categories"]
        if c["key"] == "account"
    )
    assert {"source": "Contacts in our CRM", "fields": ["name", "email"]} in account["collected"]
    assert "our group companies and channel partners" in account["origins"]
    assert {
        "source": "Contacts in our CRM",
        "rule": "Kept for 2 years after last contacted, then deleted. On erasure: deleted.",
    } in account["retention"]


@privacy.temporarily()
def test_a_remote_source_without_a_key_is_reported_not_raised():
    class Keyless(CrmContacts):
        key = ""

    privacy.register_remote(Keyless())
    assert "is not a RemoteSource with a key." in [p.msg for p in registry.problems]


@override_settings(
    JSG_PRIVACY_ROLE="processor",
    JSG_PRIVACY_CONTROLLER={**CONTROLLER, "name": "Jigowatt Ltd"},
    JSG_PRIVACY_CLIENTS=[
        {
            "name": "JSG Metering Solutions Ltd",
            "instructions": "Host the shop and answer enquiries.",
            "retention": {"usage": {"anchor": "created_at", "days": 30}},
        }
    ],
)
def test_in_processor_mode_the_notice_names_the_clients_and_their_instructions(client):
    page = client.get(reverse("jsg_privacy:notice")).content.decode()
    assert "Jigowatt Ltd acts as a data processor" in page
    assert "JSG Metering Solutions Ltd</strong>: Host the shop and answer enquiries." in page
    assert "Retention of usage data: Kept for 30 days after created at, then deleted" in page


class QuotePermissions(privacy.RemoteSource):
    """Permissions to quote customers, kept in another system: no testimonial field of its own."""

    key = "reviews.permissions"
    label = "Permissions to quote you"
    fields = {"marketing": ["granted", "updated_at"]}
    purposes = ("testimonials",)
    retention = privacy.Retention(anchor="updated_at", period=privacy.Period(years=2))

    def export(self, subject):
        return []

    def erase(self, subject):
        return 0


@privacy.temporarily()
@override_settings(JSG_PRIVACY_MARKETING_TESTIMONIALS=True)
def test_a_purpose_a_keyed_source_names_is_in_the_notice_and_the_record(client):
    from jsg_privacy.notice import record

    registry.unregister("jsg_privacy.MarketingConsent")  # names testimonials itself
    assert "testimonials" not in registry.purposes_in_use  # no source holds testimonial data

    privacy.register_remote(QuotePermissions())

    notice = client.get(reverse("jsg_privacy:notice-json")).json()["notice"]
    marketing = next(c for c in notice["categories"] if c["key"] == "marketing")
    assert "testimonials" in [p["key"] for p in marketing["purposes"]]
    assert "testimonial" not in [c["key"] for c in notice["categories"]]
    activity = next(
        a
        for a in record.build(registry)["activities"]
        if a["purpose"] == "Publishing testimonials and customer stories"
    )
    assert activity["sources"] == ["Permissions to quote you"]
    assert activity["categories"] == ["Marketing preferences"]


class TicketForSecurity(privacy.ModelSource):
    subject = "user"
    fields = {"usage": ["email", "phone", "subject", "body"]}
    purposes = ("security",)
    retention = privacy.Retention(anchor="closed_at")


@privacy.temporarily()
def test_a_source_naming_its_purposes_serves_those_only(client, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "UsageMiddleware" not in m]
    registry.unregister("testapp.Ticket")
    registry.register("testapp.Ticket", TicketForSecurity)

    assert registry.purposes_of(registry.sources["testapp.Ticket"]) == ("security",)
    notice = client.get(reverse("jsg_privacy:notice-json")).json()["notice"]
    usage = next(c for c in notice["categories"] if c["key"] == "usage")
    assert "Tickets" in [item["source"] for item in usage["collected"]]
    # Analytics is linked to usage data and in use (the shop's analytics cookies), but no source of
    # usage data serves it: the tickets and the staff access log name security only.
    assert "analytics" in registry.purposes_in_use
    assert [p["key"] for p in usage["purposes"]] == ["security"]


def test_a_version_published_before_the_plain_language_layout_is_shown_as_it_was(client):
    """Its content has no summary: it is drawn with the layout it was published with."""
    old = {
        "language": "en",
        "role": "controller",
        "controller": {"name": "JSG Metering Solutions Ltd", "privacy_manager": {}},
        "supervisory_authority": {"name": "Information Commissioner's Office"},
        "clients": [],
        "categories": [
            {
                "key": "account",
                "label": "Account data",
                "description": "Your name.",
                "collected": [{"source": "Your account", "fields": ["email"]}],
                "origins": [],
                "purposes": [],
                "recipients": [],
                "retention": [{"source": "Your account", "rule": "Kept for 3 years."}],
            }
        ],
        "transfers": [],
        "cookies": [],
        "cookie_exceptions": [],
        "security": {"measures": [], "encrypted": []},
        "rights": [],
        "response_time": "",
        "complaints": {},
    }
    NoticeVersion.objects.create(digest="a" * 64, language="en", content=old)
    page = client.get(reverse("jsg_privacy:notice-version", args=["a" * 64])).content.decode()
    assert "Your account: Kept for 3 years." in page
    assert "In short" not in page
