"""The checkout's marketing boxes: unticked, recorded with the order, and not forgeable."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from example_shop.orders.models import Order
from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.crypto import subjects
from jsg_privacy.marketing import api
from jsg_privacy.marketing.forms import TAMPERED

pytestmark = pytest.mark.django_db

CHECKOUT = reverse("orders:checkout")
BOXES = ["email", "sms", "phone", "post", "partners"]


@pytest.fixture
def with_cart(client, product):
    client.post(reverse("cart:add", args=[product.pk]), {"quantity": "1"})
    return client


def token_of(client) -> str:
    html = client.get(CHECKOUT).content.decode()
    return re.search(r'name="marketing_token" value="([^"]+)"', html).group(1)


def marketing_records():
    return list(ConsentRecord.objects.exclude(medium="", purpose="marketing"))


def test_every_box_is_unticked_even_when_the_url_says_otherwise(with_cart):
    response = with_cart.get(CHECKOUT + "?marketing_email=on&marketing_partners=on")

    html = response.content.decode()
    for box in BOXES:
        checkbox = re.search(rf'<input[^>]*name="marketing_{box}"[^>]*>', html).group(0)
        assert 'type="checkbox"' in checkbox
        assert "checked" not in checkbox
    assert "Messages about our offers (optional)" in html
    assert "Pass my contact details to selected partners" in html


def test_ticking_e_mail_records_consent_with_the_order(with_cart, checkout_data):
    data = {**checkout_data, "marketing_email": "on", "marketing_token": token_of(with_cart)}

    response = with_cart.post(CHECKOUT, data, follow=True)

    order = Order.objects.get()
    assert response.redirect_chain[-1][0] == order.get_confirmation_url()
    (record,) = marketing_records()
    assert (record.purpose, record.medium, record.action, record.channel) == (
        "marketing",
        "email",
        "given",
        "checkout",
    )
    assert record.subject_key == subjects.for_email(order.email)
    assert len(record.version) == 64
    assert api.may_contact(email=order.email)
    assert not api.may_contact(email=order.email, medium="sms")
    assert not api.has_consent("partner_marketing", email=order.email)


def test_unticked_boxes_record_nothing(with_cart, checkout_data):
    data = {**checkout_data, "marketing_token": token_of(with_cart)}

    with_cart.post(CHECKOUT, data)

    assert Order.objects.exists()
    assert marketing_records() == []


def test_a_signed_in_customer_is_recorded_by_account_and_order_e_mail(
    customer, customer_client, product, checkout_data
):
    customer_client.post(reverse("cart:add", args=[product.pk]), {"quantity": "1"})
    data = {
        **checkout_data,
        "marketing_post": "on",
        "marketing_partners": "on",
        "marketing_token": token_of(customer_client),
    }

    customer_client.post(CHECKOUT, data)

    order = Order.objects.get()
    assert order.user == customer
    assert {r.subject_key for r in marketing_records()} == {subjects.for_user(customer)}
    assert api.may_contact(user=customer, medium="post")
    assert api.may_contact(email=order.email, medium="post")  # e.g. from an unsubscribe link
    assert api.has_consent("partner_marketing", user=customer)


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda data: data.pop("marketing_token"), id="missing token"),
        pytest.param(
            lambda data: data.update(marketing_token=data["marketing_token"][:-4] + "AAAA"),
            id="forged token",
        ),
        pytest.param(lambda data: data.update(marketing_testimonials="on"), id="a box not offered"),
    ],
)
def test_a_tampered_post_is_refused_and_places_no_order(with_cart, checkout_data, product, tamper):
    data = {**checkout_data, "marketing_email": "on", "marketing_token": token_of(with_cart)}
    tamper(data)

    response = with_cart.post(CHECKOUT, data)

    assert response.status_code == 200
    assert TAMPERED in response.context["form"].non_field_errors()
    assert "could not verify the marketing choices" in response.content.decode()
    assert not Order.objects.exists()
    assert marketing_records() == []
    product.refresh_from_db()
    assert product.stock == 5
    # The page offers a fresh token: submitting again works.
    retry = {**checkout_data, "marketing_email": "on", "marketing_token": token_of(with_cart)}
    with_cart.post(CHECKOUT, retry)
    assert Order.objects.count() == 1


@override_settings(JSG_PRIVACY_MARKETING_MEDIA=("email", "post"))
def test_a_medium_the_shop_does_not_offer_cannot_be_ticked(with_cart, checkout_data):
    data = {**checkout_data, "marketing_sms": "on", "marketing_token": token_of(with_cart)}

    response = with_cart.post(CHECKOUT, data)

    assert 'name="marketing_sms"' not in response.content.decode()
    assert not Order.objects.exists()
    assert marketing_records() == []


def test_an_order_that_fails_records_no_consent(with_cart, checkout_data, product):
    data = {**checkout_data, "marketing_email": "on", "marketing_token": token_of(with_cart)}
    product.stock = 0
    product.save()

    with_cart.post(CHECKOUT, data, follow=True)

    assert not Order.objects.exists()
    assert marketing_records() == []
    assert not api.may_contact(email=checkout_data["email"])


@override_settings(JSG_PRIVACY_MARKETING_DOUBLE_OPT_IN=True)
def test_with_double_opt_in_the_order_is_placed_and_e_mail_waits_for_confirmation(
    with_cart, checkout_data, django_capture_on_commit_callbacks
):
    from django.core import mail

    data = {**checkout_data, "marketing_email": "on", "marketing_token": token_of(with_cart)}

    with django_capture_on_commit_callbacks(execute=True):
        with_cart.post(CHECKOUT, data)

    assert Order.objects.exists()
    # The order confirmation, and the link that confirms the e-mail opt-in.
    confirmation, message = sorted(mail.outbox, key=lambda m: "confirm/" in m.body)
    assert confirmation.subject.startswith("Your order JSG-")
    assert "E-mails about offers: not yet" in confirmation.body
    assert message.to == [checkout_data["email"]]
    assert not api.may_contact(email=checkout_data["email"])
    link = re.search(r"http://testserver(/privacy/marketing/confirm/\S+/)", message.body).group(1)
    with_cart.post(link)
    assert api.may_contact(email=checkout_data["email"])
    (record,) = marketing_records()
    assert (record.channel, record.medium) == ("double_opt_in", "email")
