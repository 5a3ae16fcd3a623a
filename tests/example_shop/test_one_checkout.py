"""Issue 17, item 3: one checkout form with one primary button, distinct names for cookie and
marketing choices, a returning customer's choices shown as they stand, a channel's contact detail,
saved details, and the order confirmation e-mail (item 5)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import django
import pytest
from django.core import mail
from django.urls import reverse

from example_shop.accounts.models import CustomerProfile
from example_shop.orders.models import Order
from jsg_privacy.consent import state
from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.crypto import subjects
from jsg_privacy.marketing import api

pytestmark = pytest.mark.django_db

CHECKOUT = reverse("orders:checkout")


class MainForms(HTMLParser):
    """The forms inside <main> (the cookie banner is outside it), with their submit buttons and
    checkboxes: ``[{"id": ..., "submits": [label, ...], "checked": {name=value: bool}}]``."""

    def __init__(self) -> None:
        super().__init__()
        self.in_main = False
        self.forms: list[dict] = []
        self.button: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        if tag == "form":
            self.forms.append({"id": found.get("id"), "submits": [], "checked": {}})
        elif tag == "button" and found.get("type", "submit") == "submit" and self.forms:
            self.button = []
        elif tag == "input" and found.get("type") == "checkbox" and self.forms:
            key = f"{found.get('name')}={found.get('value', 'on')}"
            self.forms[-1]["checked"][key] = "checked" in found

    def handle_data(self, data):
        if self.button is not None:
            self.button.append(data)

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if tag == "button" and self.button is not None:
            self.forms[-1]["submits"].append(" ".join("".join(self.button).split()))
            self.button = None


def main_forms(html: str) -> list[dict]:
    parser = MainForms()
    parser.feed(html)
    return [f for f in parser.forms if f["id"] != "logout"]


def checkout_form(client) -> dict:
    forms = [f for f in main_forms(client.get(CHECKOUT).content.decode()) if f["id"]]
    (form,) = forms
    return form


def token_of(client) -> str:
    html = client.get(CHECKOUT).content.decode()
    return re.search(r'name="marketing_token" value="([^"]+)"', html).group(1)


def add_to_cart(client, product):
    client.post(reverse("cart:add", args=[product.pk]), {"quantity": "1"})


def marketing_ledger() -> list[tuple[str, str, str]]:
    rows = ConsentRecord.objects.exclude(medium="").order_by("id")
    return list(rows.values_list("medium", "action", "channel"))


def cookie_ledger() -> list[tuple[str, str, str]]:
    rows = ConsentRecord.objects.filter(medium="", purpose__in=["analytics", "marketing"])
    return list(rows.order_by("id").values_list("purpose", "action", "channel"))


# -- one form, one button ----------------------------------------------------------------------


def test_the_checkout_has_one_form_and_one_place_order_button(client, product):
    add_to_cart(client, product)
    html = client.get(CHECKOUT).content.decode()

    forms = [f for f in main_forms(html) if f["id"] != "logout"]
    assert [f["id"] for f in forms] == ["checkout-form"]
    assert forms[0]["submits"] == ["Place order"]
    assert "Save my choices" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    # The cookie switches are fields of that form.
    assert {"cookie_groups=analytics", "cookie_groups=marketing"} <= set(forms[0]["checked"])


def test_cookie_and_marketing_choices_have_distinct_names(client, product):
    add_to_cart(client, product)
    html = client.get(CHECKOUT).content.decode()

    assert "Advertising cookies" in html
    assert "Analytics cookies" in html
    for label in ("E-mails about offers", "Text messages about offers", "Letters about offers"):
        assert label in html
    assert "Sending you news and offers" not in html  # the old cookie group name


def test_cookie_switches_are_recorded_when_the_order_is_placed(client, product, checkout_data):
    add_to_cart(client, product)
    # Switched on in the same form, without a script: recorded with the order, nothing before.
    data = {
        **checkout_data,
        "marketing_token": token_of(client),
        "cookie_groups_shown": ["analytics", "marketing"],
        "cookie_groups": ["marketing"],
    }
    assert cookie_ledger() == []

    response = client.post(CHECKOUT, data)

    assert response.status_code == 302
    assert Order.objects.count() == 1
    assert cookie_ledger() == [("marketing", "given", "checkout")]  # analytics left off: no record
    request = type("R", (), {"COOKIES": {k: v.value for k, v in response.cookies.items()}})
    request.META, request.GET = {}, {}
    assert state.read(request).accepted("marketing") is True


def test_cookie_switches_of_a_refused_form_are_kept_and_not_recorded(
    client, product, checkout_data
):
    add_to_cart(client, product)
    data = {
        **checkout_data,
        "billing_postcode": "",
        "marketing_token": token_of(client),
        "cookie_groups_shown": ["analytics", "marketing"],
        "cookie_groups": ["marketing"],
    }

    response = client.post(CHECKOUT, data)

    assert response.status_code == 200
    form = next(f for f in main_forms(response.content.decode()) if f["id"] == "checkout-form")
    assert form["checked"]["cookie_groups=marketing"] is True  # as switched, not lost
    assert form["checked"]["cookie_groups=analytics"] is False
    assert cookie_ledger() == []
    assert not Order.objects.exists()


# -- a returning customer ------------------------------------------------------------------------


def test_a_returning_customer_sees_their_opt_ins_ticked_and_unticking_withdraws(
    customer, customer_client, product, checkout_data
):
    add_to_cart(customer_client, product)
    first = checkout_form(customer_client)
    assert not any(v for k, v in first["checked"].items() if k.startswith("marketing_"))
    data = {**checkout_data, "marketing_email": "on", "marketing_token": token_of(customer_client)}
    customer_client.post(CHECKOUT, data)
    assert api.may_contact(user=customer)

    add_to_cart(customer_client, product)
    html = customer_client.get(CHECKOUT).content.decode()
    form = next(f for f in main_forms(html) if f["id"] == "checkout-form")
    assert form["checked"]["marketing_email=on"] is True  # their current choice
    assert form["checked"]["marketing_sms=on"] is False
    assert "The ticked boxes are the ways you already agreed to hear about our offers." in html
    assert "untick it and we will stop" in html
    assert "Nothing is ticked for you" not in html

    # Unticked, and the order placed: the opt-in is withdrawn, in the ledger.
    data = {**checkout_data, "marketing_token": token_of(customer_client)}
    customer_client.post(CHECKOUT, data)

    assert Order.objects.count() == 2
    assert marketing_ledger() == [
        ("email", "given", "checkout"),
        ("email", "withdrawn", "checkout"),
    ]
    assert not api.may_contact(user=customer)
    withdrawn = ConsentRecord.objects.filter(action="withdrawn").get()
    assert withdrawn.subject_key == subjects.for_user(customer)


def test_a_guest_never_sees_the_address_s_earlier_choices(client, product, checkout_data):
    api.record_choices({"email": True}, email=checkout_data["email"])
    add_to_cart(client, product)

    form = checkout_form(client)

    assert form["checked"]["marketing_email=on"] is False
    client.post(CHECKOUT, {**checkout_data, "marketing_token": token_of(client)})
    assert api.may_contact(email=checkout_data["email"])  # leaving it unticked changed nothing


# -- a channel needs its contact detail ----------------------------------------------------------


def test_text_messages_at_checkout_need_the_phone_number(client, product, checkout_data):
    add_to_cart(client, product)
    data = {
        **checkout_data,
        "phone": "",
        "access_notes": "Ring the bell twice.",
        "marketing_sms": "on",
        "marketing_email": "on",
        "marketing_token": token_of(client),
    }

    response = client.post(CHECKOUT, data)

    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == ["This field is required."]
    assert not Order.objects.exists()
    assert marketing_ledger() == []
    html = response.content.decode()
    form = next(f for f in main_forms(html) if f["id"] == "checkout-form")
    assert form["checked"]["marketing_sms=on"] is True  # the rest of the form is kept
    assert form["checked"]["marketing_email=on"] is True
    assert "Ring the bell twice." in html

    # With the number, the same choices go through.
    data.update(phone="07700 900123", marketing_token=token_of(client))
    client.post(CHECKOUT, data)
    assert Order.objects.count() == 1
    assert sorted(marketing_ledger()) == [
        ("email", "given", "checkout"),
        ("sms", "given", "checkout"),
    ]


SIGN_UP = reverse("accounts:sign_up")


def sign_up_data(client, **extra):
    html = client.get(SIGN_UP).content.decode()
    token = re.search(r'name="marketing_token" value="([^"]+)"', html).group(1)
    return {
        "first_name": "Ann",
        "last_name": "Example",
        "email": "ann@example.net",
        "password1": "a long and unusual passphrase 42",
        "password2": "a long and unusual passphrase 42",
        "marketing_token": token,
        **extra,
    }


@pytest.mark.parametrize(
    ("box", "what"), [("sms", "text messages about offers"), ("phone", "phone calls about offers")]
)
def test_a_channel_needs_its_contact_detail_at_sign_up(client, box, what):
    from django.contrib.auth import get_user_model

    data = sign_up_data(client, **{f"marketing_{box}": "on", "marketing_email": "on"})

    response = client.post(SIGN_UP, data)

    assert response.status_code == 200
    html = response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert f"To get {what}, fill in “Phone number (optional)” above, or untick this box." in html
    assert not get_user_model().objects.filter(email="ann@example.net").exists()
    assert marketing_ledger() == []
    assert 'value="ann@example.net"' in html  # what was typed is kept

    data = sign_up_data(client, **{f"marketing_{box}": "on", "phone": "07700 900123"})
    assert client.post(SIGN_UP, data).status_code == 302
    user = get_user_model().objects.get(email="ann@example.net")
    assert CustomerProfile.objects.get(user=user).phone == "07700 900123"
    assert marketing_ledger() == [(box, "given", "signup")]


# -- saved details -----------------------------------------------------------------------------


def test_a_signed_in_customer_s_details_are_saved_and_offered_next_time(
    customer, customer_client, product, checkout_data
):
    add_to_cart(customer_client, product)
    assert checkout_form(customer_client)["checked"]["save_details=on"] is True
    data = {**checkout_data, "save_details": "on", "marketing_token": token_of(customer_client)}
    customer_client.post(CHECKOUT, data)

    profile = CustomerProfile.objects.get(user=customer)
    assert (profile.billing_line1, profile.billing_postcode) == ("12 Cranes Farm Road", "SS14 3AE")

    add_to_cart(customer_client, product)
    page = customer_client.get(CHECKOUT)
    initial = page.context["form"].initial
    assert initial["billing_line1"] == "12 Cranes Farm Road"
    assert initial["phone"] == profile.phone
    assert "We have filled in the details saved in your account." in page.content.decode()


def test_unticking_save_details_keeps_the_account_as_it_was(
    customer, customer_client, product, checkout_data
):
    CustomerProfile.objects.filter(user=customer).update(billing_line1="1 Old Road")
    add_to_cart(customer_client, product)
    customer_client.post(CHECKOUT, {**checkout_data, "marketing_token": token_of(customer_client)})

    assert Order.objects.count() == 1
    assert CustomerProfile.objects.get(user=customer).billing_line1 == "1 Old Road"


def test_a_guest_is_not_offered_to_save_details(client, product):
    add_to_cart(client, product)
    assert "save_details=on" not in checkout_form(client)["checked"]


# -- the order confirmation ----------------------------------------------------------------------


def test_the_order_confirmation_is_e_mailed_with_the_marketing_choices(
    client, product, checkout_data, django_capture_on_commit_callbacks
):
    add_to_cart(client, product)
    data = {**checkout_data, "marketing_email": "on", "marketing_token": token_of(client)}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHECKOUT, data)

    order = Order.objects.get()
    (message,) = mail.outbox
    assert message.to == [checkout_data["email"]]
    assert message.subject == f"Your order {order.reference} with JSG Metering Solutions"
    body = message.body
    assert "EM340 Three-Phase MID Meter" in body
    assert f"Total: £{order.total}" in body
    assert (
        "This e-mail is about your order, so we send it whatever you chose about marketing." in body
    )
    assert "E-mails about offers: yes, you agreed to these." in body
    assert "Text messages about offers: no, we will not send you these." in body
    assert "To stop all offers from us now, open this link: http://testserver/privacy/" in body


def test_a_customer_who_chose_no_marketing_gets_a_confirmation_without_offers(
    customer, customer_client, product, checkout_data, django_capture_on_commit_callbacks
):
    add_to_cart(customer_client, product)
    data = {**checkout_data, "marketing_token": token_of(customer_client)}

    with django_capture_on_commit_callbacks(execute=True):
        customer_client.post(CHECKOUT, data)

    (message,) = mail.outbox
    assert "E-mails about offers: no, we will not send you these." in message.body
    assert "stop all offers" not in message.body  # nothing to stop
    assert "http://testserver/privacy/marketing/preferences/" in message.body
    assert "yes, you agreed" not in message.body


def test_a_mail_server_that_fails_does_not_lose_the_order(
    client, product, checkout_data, django_capture_on_commit_callbacks, settings
):
    broken = "tests.example_shop.test_one_checkout.BrokenBackend"
    if django.VERSION >= (6, 1):  # EMAIL_BACKEND cannot be read once MAILERS is set
        settings.MAILERS = {"default": {"BACKEND": broken}}
    else:
        settings.EMAIL_BACKEND = broken
    add_to_cart(client, product)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHECKOUT, {**checkout_data, "marketing_token": token_of(client)})

    assert response.status_code == 302
    assert Order.objects.count() == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_the_demo_keeps_the_order_confirmation_in_its_outbox(
    client,
    product,
    checkout_data,
    tmp_path,
    monkeypatch,
    settings,
    django_capture_on_commit_callbacks,
):
    import importlib

    import django

    monkeypatch.setenv("DJANGO_EMAIL_OUTBOX", str(tmp_path / "outbox"))
    demo = importlib.reload(importlib.import_module("example_shop.settings"))
    if django.VERSION >= (6, 1):
        settings.MAILERS = demo.MAILERS
    else:
        settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH = demo.EMAIL_BACKEND, demo.EMAIL_FILE_PATH
    add_to_cart(client, product)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHECKOUT, {**checkout_data, "marketing_token": token_of(client)})

    order = Order.objects.get()
    (sent,) = (tmp_path / "outbox").iterdir()
    text = sent.read_text()
    assert f"Your order {order.reference} with JSG Metering Solutions" in text
    assert "It contains no offers." in text
