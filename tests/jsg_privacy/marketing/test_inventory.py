"""Marketing in the registry: consent mechanisms, declared sources, erasure and the admin."""

import pytest
from django.contrib import admin
from django.core.checks import WARNING, run_checks
from django.test import RequestFactory, override_settings
from django.urls import include, path, reverse

from jsg_privacy.marketing import admin as marketing_admin
from jsg_privacy.marketing import api, mechanisms
from jsg_privacy.marketing.models import MarketingConsent, Suppression
from jsg_privacy.marketing.sources import MarketingConsentSource, SuppressionSource
from jsg_privacy.registry import Subject

pytestmark = pytest.mark.django_db

# A URLconf built after marketing's admin classes are registered (until jsg_privacy/admin.py imports
# them, the shop's URLconf may have been built without them).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("privacy/", include("jsg_privacy.urls")),
]


def jsg_errors():
    found = run_checks(tags=["jsg_privacy"], databases=[])
    return [m for m in found if m.id.startswith("jsg_privacy.") and m.is_serious(WARNING)]


def test_install_declares_mechanisms_and_sources_once(marketing_installed):
    registry = marketing_installed
    mechanisms.install(registry)  # a second call changes nothing

    for purpose in ("marketing", "partner_marketing", "testimonials"):
        assert (
            len(
                [
                    d
                    for d in registry.consent_mechanisms[purpose]
                    if d in mechanisms.MECHANISMS.values()
                ]
            )
            == 1
        )
    assert "jsg_privacy.MarketingConsent" in registry.sources
    assert "jsg_privacy.Suppression" in registry.sources
    assert "jsg_privacy.MarketingConsent is declared twice" not in str(registry.problems)
    assert jsg_errors() == []


def test_without_its_mechanism_partner_marketing_fails_check_e009(marketing_installed):
    marketing_installed.consent_mechanisms.pop("partner_marketing")

    assert any(m.id == "jsg_privacy.E009" and "partner_marketing" in m.msg for m in jsg_errors())


def test_the_notice_lists_the_choices_and_the_suppression_list(client):
    notice = client.get(reverse("jsg_privacy:notice-json")).json()["notice"]

    marketing = next(c for c in notice["categories"] if c["key"] == "marketing")
    sources = [c["source"] for c in marketing["collected"]]
    assert "Your marketing choices" in sources
    assert "Marketing suppression list" in sources
    rules = " ".join(r["rule"] for r in marketing["retention"])
    assert "Kept for 2 years after you last made or changed the choice" in rules
    assert "we must never market to you again" in rules
    purposes = [p["key"] for p in marketing["purposes"]]
    assert "marketing" in purposes
    assert "partner_marketing" in purposes


def test_export_finds_a_subjects_rows_by_their_keys(customer):
    api.record_choices({"email": True, "partners": True}, user=customer)
    api.record_choices({"email": False}, user=customer)

    subject = Subject(user_id=customer.pk, email=customer.email)
    choices = MarketingConsentSource().export(subject)
    suppressed = SuppressionSource().export(subject)

    assert sorted((c["purpose"], c["medium"], c["granted"]) for c in choices) == [
        ("marketing", "email", False),
        ("partner_marketing", "", True),
    ]
    assert [s["medium"] for s in suppressed] == ["email"]
    assert MarketingConsentSource().export(Subject(email="someone@example.com")) == []


def test_suppression_survives_erasure_and_the_deletion_of_the_user(customer, client):
    email = customer.email
    api.record_choices({"email": True, "sms": True}, user=customer)
    client.post(api.unsubscribe_url(email))
    subject = Subject(user_id=customer.pk, email=email)

    erased = MarketingConsentSource().erase(subject)
    kept = SuppressionSource().erase(subject)
    customer.delete()

    assert erased == 2
    assert kept == 0
    assert not MarketingConsent.objects.exists()
    assert api.is_suppressed(email)
    assert not api.may_contact(email=email)
    # Coming back later and opting in explicitly lifts it.
    api.record_choices({"email": True}, email=email, channel="checkout")
    assert api.may_contact(email=email)
    assert not Suppression.objects.exists()


def test_the_admin_is_read_only_and_finds_rows_by_e_mail_address(admin_user, customer):
    api.record_choices({"email": True}, user=customer)
    api.suppress(customer.email, "post")
    request = RequestFactory().get("/")
    request.user = admin_user

    for model, admin_class in (
        (MarketingConsent, marketing_admin.MarketingConsentAdmin),
        (Suppression, marketing_admin.SuppressionAdmin),
    ):
        model_admin = admin_class(model, admin.site)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        assert model_admin.has_view_permission(request)
        found, _ = model_admin.get_search_results(
            request, model.objects.all(), customer.email.upper()
        )
        assert found.count() == 1
        nothing, _ = model_admin.get_search_results(
            request, model.objects.all(), "nobody@example.com"
        )
        assert nothing.count() == 0


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("model", ["marketingconsent", "suppression"])
def test_staff_read_the_admin_pages_but_cannot_add_or_change(admin_client, customer, model):
    api.record_choices({"email": True}, user=customer)
    api.suppress(customer.email, "post")
    changelist = reverse(f"admin:jsg_privacy_{model}_changelist")

    response = admin_client.get(changelist, {"q": customer.email})

    assert response.status_code == 200
    assert customer.email not in response.content.decode().replace(f'value="{customer.email}"', "")
    (row,) = response.context["cl"].result_list
    detail = admin_client.get(reverse(f"admin:jsg_privacy_{model}_change", args=[row.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert admin_client.get(reverse(f"admin:jsg_privacy_{model}_add")).status_code == 403


def test_exports_hold_only_declared_fields(customer):
    api.record_choices({"email": True}, user=customer)
    api.suppress(customer.email, "post")
    subject = Subject(user_id=customer.pk, email=customer.email)

    for source in (MarketingConsentSource(), SuppressionSource()):
        (row,) = source.export(subject)
        assert set(row) <= set(source.personal_fields())
