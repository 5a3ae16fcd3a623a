"""Attack: a shop deployed without its secrets (DEBUG off), relying on public or derived defaults.

Before, with DEBUG off and no Stripe keys, webhooks were verified with localstripe's public secret
(``whsec_localstripe``: anyone could sign "payment succeeded"), and `check --deploy` only warned;
subject keys and encryption fell back to keys derived from SECRET_KEY. Now each missing secret is a
system-check error that stops the shop from starting, and the code that needs it refuses.
"""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.checks.registry import registry as check_registry
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import transaction
from django.urls import reverse

from example_shop.orders.models import Order
from jsg_privacy.crypto import keys, subjects
from jsg_privacy.integrations.saleor import client as saleor_client
from jsg_privacy.integrations.saleor.models import Installation
from jsg_privacy.payments import charges, gateways
from jsg_privacy.payments.base import Status
from jsg_privacy.payments.gateways.stripe import localstripe
from jsg_privacy.payments.gateways.stripe import testing as stripe_testing
from jsg_privacy.payments.models import Payment, WebhookEvent
from tests.jsg_privacy.payments.conftest import TOTAL_PENCE, client_for, make_order, payable_for

REPO = Path(__file__).resolve().parents[3]
WEBHOOK = "/privacy/payments/webhook/stripe/"
#: Real Stripe configured as it should be (test-mode-looking values, for these tests only).
STRIPE = {
    "secret_key": "sk_test_security_tests_only",
    "publishable_key": "pk_test_security_tests_only",
    "webhook_secret": "whsec_security_tests_only",
}


@pytest.fixture
def production(settings, monkeypatch, db):
    """Production settings with every secret set: the baseline each test takes one secret from.

    (``db``: Django 6.1's JSONField check asks SQLite what it supports.)"""
    monkeypatch.delenv(
        "DJANGO_ALLOW_ASYNC_UNSAFE", raising=False
    )  # the browser tests' (async.E001)
    settings.DEBUG = False
    settings.JSG_PRIVACY_STRIPE = dict(STRIPE)
    settings.JSG_PRIVACY_SALEOR_API_URLS = ["https://store.jsg-security-tests.co.uk/graphql/"]
    return settings


JSG_ERROR = re.compile(r"\(jsg_privacy[a-z_]*\.E\d+\)")


def deploy_check_errors() -> str:
    """What of jsg_privacy's ``manage.py check --deploy`` refuses to start with ("" when it starts).

    Django's own deployment errors (which differ between Django versions, e.g. 6.1's mail.E001 for
    a test mail backend) are not jsg_privacy's to judge here, so only its own ids are kept.
    """
    try:
        call_command("check", "--deploy", stdout=StringIO(), stderr=StringIO())
    except SystemCheckError as refused:
        # The errors only: Django 6.1 lists warnings and infos (I001) in the same message.
        ours = [line for line in str(refused).splitlines() if JSG_ERROR.search(line)]
        return "\n".join(ours)
    return ""


def test_production_settings_with_every_secret_pass_the_deploy_check(production):
    assert deploy_check_errors() == ""


@pytest.mark.parametrize(
    ("setting", "value", "check_id"),
    [
        ("JSG_PRIVACY_HASH_KEY", "", "jsg_privacy.E016"),
        ("JSG_PRIVACY_LEDGER_KEYS", [], "jsg_privacy.E035"),
        ("JSG_PRIVACY_ENCRYPTION_KEYS", [], "jsg_privacy.E013"),
        ("JSG_PRIVACY_STRIPE", {}, "jsg_privacy.E017"),
        ("JSG_PRIVACY_STRIPE", {"local": True}, "jsg_privacy.E017"),  # the retired opt-in
        ("JSG_PRIVACY_STRIPE", {**STRIPE, "webhook_secret": ""}, "jsg_privacy.E018"),
        (
            "JSG_PRIVACY_STRIPE",
            {**STRIPE, "webhook_secret": localstripe.WEBHOOK_SECRET},
            "jsg_privacy.E018",
        ),
        ("JSG_PRIVACY_STRIPE", {"local_for_tests": True}, "jsg_privacy.E019"),
        ("JSG_PRIVACY_SALEOR_API_URLS", [], "jsg_privacy_saleor.E004"),
        (
            "JSG_PRIVACY_SALEOR_API_URLS",
            ["http://store.jsg-security-tests.co.uk/graphql/"],
            "jsg_privacy_saleor.E005",
        ),
    ],
    ids=[
        "no hash key",
        "no ledger key",
        "no encryption keys",
        "no Stripe keys",
        "Stripe's old local opt-in",
        "no webhook secret",
        "localstripe's public webhook secret",
        "the test-only stand-in",
        "no Saleor store",
        "Saleor's keys in clear",
    ],
)
def test_a_missing_secret_stops_the_deploy_check(production, setting, value, check_id):
    setattr(production, setting, value)

    assert check_id in deploy_check_errors()


def test_the_test_only_stand_in_is_refused_by_the_deploy_check_alone(production):
    production.JSG_PRIVACY_STRIPE = {"local_for_tests": True, "webhook_secret": "whsec_run"}
    ids = {message.id for message in check_registry.run_checks()}

    assert "jsg_privacy.E019" not in ids  # a test suite's own `check` passes
    assert "jsg_privacy.E019" in deploy_check_errors()


# --- At run time, the code that needs the missing secret refuses. ---


@pytest.fixture
def waiting(db):
    """An order whose payment waits for Stripe's word, as when the customer closed the page."""
    order = make_order(guest_name="Amelia Hughes", email="amelia.hughes@example.co.uk")
    payment = charges.start(payable_for(order), gateways.get("stripe"))
    Payment.objects.filter(pk=payment.pk).update(intent_id="pi_waiting123")
    return order


@pytest.mark.parametrize(
    "stripe",
    [
        {},
        {"local": True},
        {**STRIPE, "webhook_secret": ""},
        {**STRIPE, "webhook_secret": localstripe.WEBHOOK_SECRET},
    ],
    ids=["no keys", "old local opt-in", "no webhook secret", "public webhook secret"],
)
def test_a_payment_event_signed_with_the_public_secret_pays_nothing(
    production, client, waiting, stripe, caplog
):
    production.JSG_PRIVACY_STRIPE = stripe
    event = stripe_testing.payment_intent_event("pi_waiting123", amount=TOTAL_PENCE)
    body, headers = stripe_testing.signed_webhook(event, localstripe.WEBHOOK_SECRET)

    response = client.post(WEBHOOK, body, content_type="application/json", headers=headers)

    assert response.status_code == 503
    assert not WebhookEvent.objects.exists()
    assert Payment.objects.get().status == Status.PROCESSING
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.AWAITING_PAYMENT
    assert "JSG_PRIVACY_STRIPE" in caplog.text
    assert localstripe.WEBHOOK_SECRET not in caplog.text  # the reason names the setting only


def test_without_stripe_keys_the_pay_page_and_the_charge_refuse(production, db):
    production.JSG_PRIVACY_STRIPE = {}
    order = make_order(guest_name="Amelia Hughes", email="amelia.hughes@example.co.uk")
    browser = client_for(order)

    page = browser.get(reverse("jsg_privacy:payments:pay", args=[order.reference]))
    charge = browser.post(reverse("jsg_privacy:payments:prepare", args=[order.reference, "stripe"]))

    assert page.status_code == 503
    assert "Card payments are not available" in page.text
    assert "nothing has been charged" in page.text
    assert charge.status_code == 503
    assert charge.json()["status"] == "unavailable"
    assert not Payment.objects.exists()  # nothing recorded, nothing sent to 127.0.0.1:8420


def test_without_a_hash_key_no_subject_key_is_made(production):
    production.JSG_PRIVACY_HASH_KEY = ""

    with pytest.raises(ImproperlyConfigured, match="JSG_PRIVACY_HASH_KEY"):
        subjects.for_email("amelia.hughes@example.co.uk")
    with pytest.raises(ImproperlyConfigured, match="JSG_PRIVACY_HASH_KEY"):
        subjects.for_user(1)


def test_without_a_hash_key_an_order_is_not_saved_with_a_key_anyone_with_secret_key_can_make(
    production, db
):
    production.JSG_PRIVACY_HASH_KEY = ""

    with pytest.raises(ImproperlyConfigured, match="JSG_PRIVACY_HASH_KEY"), transaction.atomic():
        make_order(guest_name="Amelia Hughes", email="amelia.hughes@example.co.uk")
    assert not Order.objects.exists()


def test_with_debug_on_a_demo_without_a_hash_key_derives_one(settings):
    settings.DEBUG = True
    settings.JSG_PRIVACY_HASH_KEY = ""

    assert len(subjects.for_email("amelia.hughes@example.co.uk")) == 64
    assert "jsg_privacy.W006" in {message.id for message in check_registry.run_checks()}


def test_without_encryption_keys_nothing_is_encrypted_with_a_derived_key(production):
    production.JSG_PRIVACY_ENCRYPTION_KEYS = []

    with pytest.raises(ImproperlyConfigured, match="JSG_PRIVACY_ENCRYPTION_KEYS"):
        keys.encrypt("07700 900123")


@pytest.mark.urls("tests.jsg_privacy.saleor.urls")
def test_a_saleor_store_over_plain_http_cannot_install_the_app(production, client, db):
    api_url = "http://store.jsg-security-tests.co.uk/graphql/"
    production.JSG_PRIVACY_SALEOR_API_URLS = [api_url]

    response = client.post(
        "/privacy/saleor/register/",
        data={"auth_token": "token-from-a-forged-store"},
        content_type="application/json",
        HTTP_SALEOR_API_URL=api_url,
    )

    assert response.status_code == 403
    assert not Installation.objects.exists()
    with pytest.raises(saleor_client.SaleorError, match="Plain http"):
        saleor_client.fetch_jwks(api_url)  # refused before any connection is tried


def test_manage_py_refuses_production_settings_without_secrets():
    """The example shop as an operator deploys it: DEBUG off and no secret in the environment."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=REPO,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "tests.production_settings",
            "DJANGO_DEBUG": "false",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    for check_id in ("jsg_privacy.E013", "jsg_privacy.E016", "jsg_privacy.E017"):
        assert check_id in result.stderr
    assert "django-insecure-demo" not in result.stdout + result.stderr
