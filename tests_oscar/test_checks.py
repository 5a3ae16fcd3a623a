"""An Oscar shop set up as docs/oscar.md says passes every check, strictly, with no declaration of
its own; and `migrate` is never refused on the way there."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.checks import WARNING, run_checks
from django.core.management import call_command

from jsg_privacy import registry as privacy
from jsg_privacy.contrib.oscar import privacy as oscar_privacy
from jsg_privacy.registry import detection, registry

pytestmark = pytest.mark.django_db

OSCAR_APPS = [config for config in apps.get_app_configs() if config.name.startswith("oscar")]


def jsg_messages(**kwargs):
    """Warnings and errors (I001, information on the fields Oscar stores in clear, is the shop's
    to weigh: encrypting them would mean forking Oscar's apps)."""
    return [
        m
        for m in run_checks(**kwargs)
        if m.id and m.id.startswith("jsg_privacy") and m.level >= WARNING
    ]


def test_the_project_declares_nothing_itself():
    assert not getattr(settings, "JSG_PRIVACY_MODULES", None)
    assert not (Path(__file__).parent / "privacy.py").exists()
    assert settings.JSG_PRIVACY_STRICT is True


def test_check_and_check_deploy_are_clean_with_strict_settings():
    assert jsg_messages() == []
    assert jsg_messages(include_deployment_checks=True) == []
    # Refused on any error of jsg_privacy's (Django 6.1 adds mail.E001 for the test mail backend).
    call_command("check", "--deploy", "--tag", "jsg_privacy", verbosity=0)


def test_every_oscar_model_that_looks_personal_is_declared_or_exempt_with_a_reason():
    models = [m for config in OSCAR_APPS for m in config.get_models()]
    personal = detection.personal_models(
        models, declared=registry.sources, exempt=registry.exemptions
    )
    undecided = [
        m._meta.label
        for m in models
        if m._meta.label in personal
        and m._meta.label not in registry.sources
        and m._meta.label not in registry.exemptions
    ]
    assert undecided == []
    for label in oscar_privacy.EXEMPT:
        assert registry.exemptions[label].reason


@pytest.mark.parametrize(
    "label",
    [
        "order.Order",
        "order.Line",
        "order.ShippingAddress",
        "order.BillingAddress",
        "basket.Basket",
        "basket.Line",
        "reviews.ProductReview",
        "customer.ProductAlert",
        "wishlists.WishList",
        "communication.Email",
        "analytics.UserProductView",
        "payment.Bankcard",
        "auth.User",
    ],
)
def test_oscar_s_personal_data_is_declared(label):
    assert label in registry.sources


def test_orders_are_found_by_account_and_guests_by_their_address():
    order = registry.sources["order.Order"]
    assert (order.subject_path, order.subject_email) == ("user", "guest_email")
    line = registry.sources["order.Line"]
    assert (line.subject_path, line.subject_email) == ("order__user", "order__guest_email")


@privacy.temporarily()
def test_migrate_runs_before_anything_is_declared_while_not_strict(settings):
    """Step 2 of docs/oscar.md: jsg_privacy installed, Oscar not declared yet."""
    settings.JSG_PRIVACY_STRICT = False
    for label in [*oscar_privacy.SOURCES, "auth.User"]:
        registry.unregister(label)
    for label in oscar_privacy.EXEMPT:
        registry.exemptions.pop(label, None)

    found = jsg_messages()

    assert {m.id for m in found} >= {"jsg_privacy.W007"}
    assert not [m for m in found if m.level >= 40]
    call_command("migrate", verbosity=0)  # runs the checks, as runserver does: not refused


def test_a_project_base_template_without_the_banner_is_pointed_out(settings, tmp_path):
    (tmp_path / "oscar").mkdir()
    (tmp_path / "oscar" / "base.html").write_text("<html><body>{% block layout %}{% endblock %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    found = [m for m in run_checks() if m.id == "jsg_privacy_oscar.W001"]

    assert len(found) == 1
    assert "consent_banner" in found[0].msg


def test_a_project_base_template_extending_oscar_s_keeps_the_banner(settings, tmp_path):
    (tmp_path / "oscar").mkdir()
    (tmp_path / "oscar" / "base.html").write_text(
        '{% extends "oscar/base.html" %}{% block title %}Frobshop{% endblock %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    assert not [m for m in run_checks() if m.id == "jsg_privacy_oscar.W001"]


@privacy.temporarily()
def test_a_declaration_of_the_project_s_own_is_kept():
    """An app listed before jsg_privacy.contrib.oscar declared a model: Oscar's is not added."""
    registry.unregister("reviews.ProductReview")

    class Reviews(privacy.ModelSource):
        subject = "user"
        fields = {"correspondence": ["title"]}

    privacy.register("reviews.ProductReview", Reviews)
    problems = len(registry.problems)

    oscar_privacy.declare()  # what the module does when it is imported

    assert isinstance(registry.sources["reviews.ProductReview"], Reviews)
    assert len(registry.problems) == problems  # no "declared twice"
