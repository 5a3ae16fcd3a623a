"""The card-data guard: what counts as a card number, and the shop refusing requests that carry one."""

import json
import logging
import re
import uuid
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from example_shop import factories
from example_shop.enquiries.models import Enquiry
from example_shop.orders.models import Order
from example_shop.orders.validators import is_valid_mpan_core, mpan_check_digit
from jsg_privacy.payments.guard import (
    CardDataGuardMiddleware,
    find_card_numbers,
    is_card_field_name,
    is_card_number,
    is_mpan,
    luhn_valid,
)

REFUSAL = "For your safety we never accept card details on this site"


def luhn_complete(prefix: str) -> str:
    """``prefix`` followed by the digit that makes it pass the Luhn test."""
    return next(prefix + d for d in "0123456789" if luhn_valid(prefix + d))


VISA = "4242424242424242"
NINETEEN = luhn_complete("424242424242424242")
CARDS = [
    pytest.param("4242 4242 4242 4242", id="spaced"),
    pytest.param("4242-4242-4242-4242", id="dashed"),
    pytest.param(VISA, id="plain"),
    pytest.param("4242-4242 4242-4242", id="mixed separators"),
    pytest.param(" ".join(re.findall(".{1,4}", NINETEEN)), id="19 digits"),
    pytest.param("3782 822463 10005", id="amex"),
    pytest.param("5555555555554444", id="mastercard"),
]


def digits_of(card: str) -> str:
    return re.sub(r"\D", "", card)


def mpan_that_passes_luhn() -> str:
    """A valid MPAN core (distributor 23) that also passes the Luhn test, as a card would."""
    for serial in range(10**6):
        first_twelve = f"23{serial:010d}"
        core = f"{first_twelve}{mpan_check_digit(first_twelve)}"
        if is_card_number(core):
            return core
    raise AssertionError("no MPAN core passes the Luhn test")


# -- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize("card", CARDS)
def test_card_numbers_are_found_however_they_are_written(card):
    assert luhn_valid(digits_of(card))
    assert is_card_number(card)
    assert find_card_numbers(f"Please charge my card {card}, thanks") == [card]


def test_a_card_number_typed_with_its_expiry_and_cvv_is_found():
    assert find_card_numbers("4242 4242 4242 4242 12/27 123") == ["4242 4242 4242 4242"]
    assert find_card_numbers("4242424242424242 0127 123") == ["4242424242424242"]


@pytest.mark.parametrize(
    "text",
    [
        "4242424242424241",  # fails the Luhn test
        "2024-05-01",
        "2024-05-01T12:30:45+01:00",
        "2024-05-01 12:30:45.123456",
        "From 2024-05-01 2024-06-01",
        "01268 773766",
        "07700 900456 or 01268 773766",
        "+44 7700 900456",
        "+86 138 0013 8000",
        str(uuid.UUID("12345678-1234-5678-1234-567812345678")),
        "abcdefab-abcd-abcd-4242-424242424242",
        "£1,234.56 inc. VAT, 4242424242424242.50 in pence",
        "0.4242424242424242",
        "JSG-000123",
        "JSG-4242424242424242",
        "1714567890123",  # a millisecond timestamp
        "8944 1000 0000 0000 0003",  # a SIM card's ICCID
        "S21004567",
        "x4242424242424242",
        "4242424242424242x",
        "GB41 NWBK 6016 0000 0000 09",  # an IBAN whose account digits pass the Luhn test
    ],
)
def test_ordinary_shop_values_are_not_card_numbers(text):
    assert find_card_numbers(text) == []


def test_csrf_tokens_are_not_card_numbers():
    tokens = [_get_new_csrf_string() for _ in range(200)]
    tokens.append("aB3" + VISA + "xYz" + "q" * 42)  # a long digit run inside a token
    assert [token for token in tokens if find_card_numbers(token)] == []


def test_an_mpan_can_pass_the_luhn_test():
    mpan = mpan_that_passes_luhn()
    assert is_valid_mpan_core(mpan)  # the shop's own validator agrees
    assert is_mpan(mpan)
    assert is_mpan(f"{mpan[:2]} {mpan[2:6]} {mpan[6:10]} {mpan[10:]}")
    assert find_card_numbers(mpan) == [mpan]
    assert not is_mpan(mpan[:12] + str((int(mpan[12]) + 1) % 10))
    assert not is_mpan(VISA)


@pytest.mark.parametrize(
    "name",
    [
        "card_number", "cardnumber", "card-no", "CardNo", "cardNumber", "cc_number", "ccnum",
        "CCNumber", "pan", "PAN", "primary_account_number", "cvv", "CVV2", "cvc", "cvc2", "csc",
        "security_code", "card_verification", "card_security_code", "billing_card_number",
        "payment[card][number]", "payment.cardNumber",
    ],
)  # fmt: skip
def test_names_like_a_card_number_or_cvv(name):
    assert is_card_field_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "company", "company_name", "panel", "span", "japan", "frying_pan", "number", "card",
        "cardholder_name", "last4", "card_last4", "brand", "exp_month", "cvc_check",
        "sms_security_code", "mpan", "account_number", "phone_number",
    ],
)  # fmt: skip
def test_other_names_are_not(name):
    assert not is_card_field_name(name)


# -- the shop refusing requests ----------------------------------------------------------------


@pytest.fixture
def checkout_data() -> dict[str, str]:
    return {
        "full_name": "Amelia Hughes",
        "email": "amelia.hughes@example.co.uk",
        "phone": "01268 773766",
        "billing_line1": "12 Cranes Farm Road",
        "billing_town": "Basildon",
        "billing_postcode": "SS14 3AE",
        "installation_same_as_billing": "on",
        "access_notes": "Meter cupboard under the stairs.",
        "mpan": "12 0002 3305 967",
        "meter_serial": "S21004567",
        "ordered_on_behalf": "self",
    }


@pytest.fixture
def shopper(db) -> Client:
    """A visitor with a meter in the cart, ready to check out."""
    client = Client()
    product = factories.ProductFactory(price=Decimal("129.00"), stock=5)
    client.post(reverse("cart:add", args=[product.pk]), {"quantity": "1"})
    return client


def assert_refused(response, *cards: str) -> None:
    assert response.status_code == 400
    text = response.content.decode()
    for card in cards:
        assert card not in text
        assert digits_of(card) not in re.sub(r"\D", "", text)


@pytest.mark.parametrize("card", CARDS)
def test_checkout_with_a_card_number_is_refused_and_nothing_is_stored(shopper, checkout_data, card):
    checkout_data["access_notes"] = f"Card for the deposit: {card}"

    response = shopper.post(reverse("orders:checkout"), checkout_data)

    assert_refused(response, card)
    assert REFUSAL in response.text
    assert "Card details are not accepted here" in response.text
    assert not Order.objects.exists()


def test_contact_form_with_a_card_number_is_refused(client, db):
    data = {"name": "Tom", "email": "tom@example.com", "subject": "Payment", "message": VISA}

    response = client.post(reverse("enquiries:contact"), data)

    assert_refused(response, VISA)
    assert not Enquiry.objects.exists()


def test_url_encoded_posts_are_refused_too(client, db):
    body = urlencode({"name": "Tom", "email": "t@example.com", "message": "4242-4242-4242-4242"})

    response = client.post(
        reverse("enquiries:contact"), body, content_type="application/x-www-form-urlencoded"
    )

    assert_refused(response, VISA)
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize("url", ["/", "/no-such-page/", "/admin/login/", "/privacy/cookies/"])
def test_any_url_refuses_a_card_number(client, db, url):
    assert_refused(client.post(url, {"note": VISA}), VISA)


def test_a_card_number_in_the_query_string_is_refused_and_not_echoed(client, db):
    response = client.get("/?q=4111111111111111")

    assert_refused(response, "4111111111111111")
    assert REFUSAL in response.text
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize(
    "payload",
    [
        {"payment": {"cardNumber": "4242 4242 4242 4242"}},
        {"payment": {"cardNumber": "0000"}},  # the name alone is enough
        {"order": {"notes": ["deposit", f"pay with {VISA}"]}},
        {"items": [{"sku": "JSG-10001", "cvv": 123}]},
        {"card": {"number": int(VISA)}},
    ],
)
def test_json_bodies_with_card_data_are_refused_with_a_json_error(client, db, payload):
    response = client.post(reverse("enquiries:contact"), payload, content_type="application/json")

    assert_refused(response, VISA)
    assert response.json() == {"error": response.json()["error"]}
    assert REFUSAL in response.json()["error"]


def test_a_request_that_accepts_json_gets_json(client, db):
    response = client.post("/", {"note": VISA}, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert REFUSAL in response.json()["error"]


@pytest.mark.parametrize("name", ["cvv", "card_number", "cardNumber", "security_code"])
def test_a_filled_in_card_field_is_refused_whatever_its_value(client, db, name):
    assert client.post("/", {name: "123"}).status_code == 400
    assert client.get("/", {name: "123"}).status_code == 400


def test_an_empty_card_field_carries_no_card_data(client, db):
    assert client.get("/", {"card_number": "", "cvv": " "}).status_code == 200


def test_a_valid_mpan_that_passes_luhn_is_accepted_at_checkout(shopper, checkout_data):
    mpan = mpan_that_passes_luhn()
    checkout_data["mpan"] = f"{mpan[:2]} {mpan[2:6]} {mpan[6:10]} {mpan[10:]}"

    response = shopper.post(reverse("orders:checkout"), checkout_data, follow=True)

    assert response.status_code == 200
    assert Order.objects.get().mpan == mpan


def test_the_same_number_in_another_field_is_refused(shopper, checkout_data):
    mpan = mpan_that_passes_luhn()
    checkout_data["access_notes"] = f"MPAN {mpan}"

    assert_refused(shopper.post(reverse("orders:checkout"), checkout_data), mpan)
    assert not Order.objects.exists()


def test_a_card_number_in_the_mpan_field_is_refused(shopper, checkout_data):
    card = luhn_complete("424242424242")  # 13 digits, as old Visa cards had
    assert not is_mpan(card)
    checkout_data["mpan"] = card

    assert_refused(shopper.post(reverse("orders:checkout"), checkout_data), card)
    assert not Order.objects.exists()


@override_settings(
    JSG_PRIVACY_CARD_GUARD_EXEMPT_FIELDS={
        "mpan": "example_shop.orders.validators.validate_mpan_core"
    }
)
def test_an_exemption_can_use_a_django_validator(shopper, checkout_data):
    mpan = mpan_that_passes_luhn()
    checkout_data["mpan"] = mpan

    shopper.post(reverse("orders:checkout"), checkout_data)

    assert Order.objects.get().mpan == mpan


@override_settings(JSG_PRIVACY_CARD_GUARD_EXEMPT_FIELDS={"mpan": "example_shop.no_such.is_mpan"})
def test_an_exemption_that_cannot_be_imported_is_a_configuration_error(client, db):
    with pytest.raises(ImproperlyConfigured, match="CARD_GUARD_EXEMPT_FIELDS"):
        client.post("/", {"mpan": mpan_that_passes_luhn()})


def test_ordinary_checkout_details_pass(shopper, checkout_data):
    checkout_data["access_notes"] = (
        f"Call 07700 900456 or +44 1268 773766 from 2024-05-01T08:00 to 2024-05-03 12:30. "
        f"Ref JSG-000123, job {uuid.uuid4()}, quote £1,249.50, old meter S21004567."
    )

    response = shopper.post(reverse("orders:checkout"), checkout_data, follow=True)

    assert response.status_code == 200
    assert Order.objects.get().access_notes == checkout_data["access_notes"]


def test_csrf_tokens_pass_and_csrf_failures_still_show(db):
    client = Client(enforce_csrf_checks=True)
    data = {"name": "Tom", "email": "tom@example.com", "subject": "Hi", "message": "Hello"}

    assert client.post(reverse("enquiries:contact"), data).status_code == 403

    page = client.get(reverse("enquiries:contact"))
    data["csrfmiddlewaretoken"] = page.context["csrf_token"]
    assert client.post(reverse("enquiries:contact"), data).status_code == 302
    assert Enquiry.objects.count() == 1


def test_uploaded_files_are_not_read(client, db):
    upload = SimpleUploadedFile("reading.bin", b"\x00\x01" + VISA.encode() + b"\xff")
    data = {"name": "Tom", "email": "tom@example.com", "subject": "Hi", "message": "Hello"}

    response = client.post(reverse("enquiries:contact"), {**data, "photo": upload})

    assert response.status_code == 302
    assert Enquiry.objects.count() == 1


def test_the_admin_still_works(admin_client):
    assert admin_client.get("/admin/orders/order/?q=JSG-000123&o=2.-1").status_code == 200


def test_refusals_are_logged_without_the_number(client, db, caplog):
    with caplog.at_level(logging.INFO):
        client.post(reverse("enquiries:contact"), {"message": "4242 4242 4242 4242"})
        client.get("/?q=4111111111111111")

    warnings = [r for r in caplog.records if r.name == "jsg_privacy.payments.guard"]
    assert len(warnings) == 2
    assert "message" in warnings[0].getMessage()
    assert "/contact/" in warnings[0].getMessage()
    assert "4242" not in caplog.text
    assert "4111" not in caplog.text


# -- what the middleware reads -----------------------------------------------------------------


def passes(request) -> bool:
    return CardDataGuardMiddleware(lambda r: HttpResponse("ok"))(request).status_code == 200


def test_bodies_of_other_kinds_are_not_read():
    rf = RequestFactory()
    body = json.dumps({"card_number": VISA})

    assert passes(rf.generic("GET", "/", body, content_type="application/json"))
    assert passes(rf.post("/", body, content_type="application/octet-stream"))
    assert not passes(rf.post("/", body, content_type="application/json"))
    assert not passes(rf.put("/", body, content_type="application/merge-patch+json"))
    assert not passes(rf.post("/", f"Card: {VISA}", content_type="text/plain"))
    assert not passes(rf.patch("/", urlencode({"note": VISA}), "application/x-www-form-urlencoded"))


def test_a_body_that_is_not_valid_json_is_still_looked_at():
    rf = RequestFactory()
    assert not passes(rf.post("/", '{"note": "' + VISA, content_type="application/json"))
    assert passes(rf.post("/", "[[[[" * 10000, content_type="application/json"))


def test_a_body_already_read_as_a_stream_is_let_through():
    request = RequestFactory().post("/", json.dumps({"n": VISA}), content_type="application/json")
    request.read()  # a view could not read request.body now either

    assert passes(request)


# -- card data anywhere in the request: path, headers, cookies, new notations, parts, XML ---------

FULL_WIDTH = str.maketrans("0123456789 ", "".join(map(chr, range(0xFF10, 0xFF1A))) + "\u3000")


def wide(text: str) -> str:
    """``text`` with full-width digits and ideographic spaces, as an East Asian keyboard types."""
    return text.translate(FULL_WIDTH)


PRINTED_CARDS = [
    pytest.param("4242.4242.4242.4242", id="dots"),
    pytest.param("4242/4242/4242/4242", id="slashes"),
    pytest.param("4242  4242  4242  4242", id="double spaces"),
    pytest.param(wide(VISA), id="full-width"),
    pytest.param(wide("4242 4242 4242 4242"), id="full-width with ideographic spaces"),
]


def assert_nothing_written(queries) -> None:
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


@pytest.fixture
def recorded(db):
    """A request through the guard, then the shop's session middleware and a view, recorded."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seen = []

    def view(request):
        request.session["seen"] = True
        seen.append(request)
        return HttpResponse("ok")

    def send(request):
        chain = CardDataGuardMiddleware(SessionMiddleware(view))
        with CaptureQueriesContext(connection) as queries:
            response = chain(request)
        if response.status_code == 400:
            assert seen == []
            assert "sessionid" not in response.cookies
            assert_nothing_written(queries)
        return response

    return send


@pytest.mark.parametrize("card", PRINTED_CARDS)
def test_checkout_with_a_card_printed_otherwise_is_refused(shopper, checkout_data, card):
    checkout_data["access_notes"] = f"Card for the deposit: {card}"

    response = shopper.post(reverse("orders:checkout"), checkout_data)

    assert_refused(response, card)
    assert REFUSAL in response.text
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        f"/orders/{VISA}/",
        "/orders/4242-4242-4242-4242/",
        "/cards/4242/4242/4242/4242/",
        "/cards/4242.4242.4242.4242/edit/",
        "/cards/4242%204242%204242%204242/",
        "/cards/%EF%BC%94%EF%BC%92%EF%BC%94%EF%BC%92" + "4242" * 3 + "/",  # full-width digits
    ],
)
def test_a_card_number_in_the_url_path_is_refused_and_not_echoed(client, db, caplog, path):
    with caplog.at_level(logging.INFO):
        response = client.get(path)

    assert_refused(response, VISA)
    assert REFUSAL in response.text
    assert "4242" not in response.text
    assert "4242" not in caplog.text  # the guard's warning and Django's "Bad Request" line
    warning = next(r for r in caplog.records if r.name == "jsg_privacy.payments.guard")
    assert "(URL path)" in warning.getMessage()
    assert "[card number removed]" in warning.getMessage()


def test_a_card_number_in_the_path_is_refused_before_session_view_or_database(recorded):
    assert recorded(RequestFactory().post(f"/orders/{VISA}/", {"note": "hi"})).status_code == 400


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("HTTP_X_CARD", VISA),
        ("HTTP_USER_AGENT", f"Mozilla/5.0 card {VISA}"),
        ("HTTP_REFERER", "https://shop.example/search/?q=4242+4242+4242+4242"),
        ("HTTP_REFERER", "https://shop.example/search/?q=4242%204242%204242%204242"),
        ("HTTP_X_NOTE", "4242.4242.4242.4242"),
        ("HTTP_AUTHORIZATION", "Card 4242 4242 4242 4242"),
    ],
)
def test_a_card_number_in_a_header_is_refused(client, db, caplog, recorded, header, value):
    with caplog.at_level(logging.INFO):
        response = client.get("/", **{header: value})

    assert_refused(response, VISA)
    assert "4242" not in caplog.text
    warning = next(r for r in caplog.records if r.name == "jsg_privacy.payments.guard")
    assert "(header " in warning.getMessage()
    assert recorded(RequestFactory().get("/", **{header: value})).status_code == 400


@pytest.mark.parametrize(
    "value", [VISA, "4242-4242-4242-4242", "4242%204242%204242%204242", "4242.4242.4242.4242"]
)
def test_a_card_number_in_a_cookie_is_refused_and_the_cookie_deleted(client, db, caplog, value):
    client.cookies["basket_note"] = value

    with caplog.at_level(logging.INFO):
        response = client.get("/")

    assert_refused(response, VISA)
    assert "4242" not in caplog.text
    assert "(cookie basket_note)" in caplog.text
    assert response.cookies["basket_note"]["max-age"] == 0  # deleted: the next page works again
    assert client.get("/").status_code == 200


def test_a_card_number_in_a_cookie_is_refused_before_session_view_or_database(recorded):
    request = RequestFactory().get("/", HTTP_COOKIE=f"sessionid=abc; note={VISA}")

    assert recorded(request).status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {"card1": "4242", "card2": "4242", "card3": "4242", "card4": "4242"},
        {"cc[0]": "4242", "cc[1]": "4242", "cc[2]": "4242", "cc[3]": "4242", "name": "Tom"},
        {"amex_1": "3782", "amex_2": "822463", "amex_3": "10005"},
    ],
)
def test_a_card_number_split_over_fields_is_refused(client, db, caplog, data):
    with caplog.at_level(logging.INFO):
        assert_refused(client.post(reverse("enquiries:contact"), data), "4242")
        assert_refused(client.get("/", data), "4242")

    assert not Enquiry.objects.exists()
    assert "4242" not in caplog.text
    assert "3782" not in caplog.text


@pytest.mark.parametrize(
    "payload",
    [
        {"payment": {"p1": "4242", "p2": "4242", "p3": "4242", "p4": 4242}},
        {"payment": {"notes": {"text": "4242.4242.4242.4242"}}},
        {"note": wide("4242 4242 4242 4242")},
    ],
)
def test_json_with_a_card_split_or_printed_otherwise_is_refused(client, db, payload):
    response = client.post(reverse("enquiries:contact"), payload, content_type="application/json")

    assert_refused(response, VISA)
    assert REFUSAL in response.json()["error"]


XML_ORDER = """<?xml version="1.0" encoding="UTF-8"?>
<order xmlns:p="urn:example:payment" reference="JSG-000123">
  <customer phone="01268 773766">Amelia Hughes</customer>
  <installation date="2026/12/07">{mpan}</installation>
  {extra}
</order>"""


@pytest.mark.parametrize(
    "extra",
    [
        f"<note>Pay with {VISA}</note>",
        '<payment card="4242 4242 4242 4242"/>',
        "<p:cardNumber>4242.4242.4242.4242</p:cardNumber>",
        "<cvv>123</cvv>",
        f"<note><![CDATA[{VISA}]]></note>",
        f"<!-- {VISA} -->",
        "<p1>4242</p1><p2>4242</p2><p3>4242</p3><p4>4242</p4>",
    ],
)
@pytest.mark.parametrize("content_type", ["application/xml", "text/xml", "application/soap+xml"])
def test_an_xml_body_with_card_data_is_refused(client, db, recorded, content_type, extra):
    body = XML_ORDER.format(mpan="", extra=extra)

    response = client.post(reverse("enquiries:contact"), body, content_type=content_type)

    assert_refused(response, VISA)
    assert not Enquiry.objects.exists()
    assert recorded(RequestFactory().post("/", body, content_type=content_type)).status_code == 400


def test_an_ordinary_xml_body_passes_with_an_mpan_in_its_field():
    mpan = mpan_that_passes_luhn()
    body = XML_ORDER.format(mpan=f"<mpan>{mpan}</mpan>", extra="<note>Meter cupboard</note>")

    assert passes(RequestFactory().post("/", body, content_type="application/xml"))
    assert not passes(
        RequestFactory().post("/", body.replace("mpan>", "note>"), content_type="application/xml")
    )


# -- ordinary requests still pass ----------------------------------------------------------------

BROWSER = {
    "HTTP_USER_AGENT": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/124.0.6367.91 Safari/537.36",
    "HTTP_ACCEPT_LANGUAGE": "en-GB,en-US;q=0.9,en;q=0.8",
    "HTTP_X_FORWARDED_FOR": "203.0.113.195, 70.41.3.18, 150.172.238.178",
    "HTTP_X_REAL_IP": "192.168.100.200",
    "HTTP_REFERER": "https://shop.example/orders/2026/12/07/?page=2&ts=1714567890123",
    "HTTP_X_REQUEST_ID": "4242424242424241",  # a long id that fails the Luhn test
}
BROWSER_COOKIES = {
    "_ga": "GA1.1.1234567890.1714567890",
    "_ga_ABC123XYZ": "GS1.1.1714567890.3.1.1714567999.0.0.0",
    "_fbp": "fb.1.1714567890123.1234567890",
    "recently_viewed": "12%2C7%2C31",
    "phone": "01268%20%20773766",
}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/no-such-page/",
        "/orders/4242424242424241/",
        "/blog/2026/12/07/",
        "/p/171456789012345/",
    ],
)
def test_ordinary_paths_headers_and_cookies_pass(client, db, path):
    client.cookies.load(BROWSER_COOKIES)

    response = client.get(path, **BROWSER)

    assert response.status_code != 400
    assert REFUSAL not in response.content.decode()


def test_ordinary_details_with_dots_slashes_and_spaces_pass_checkout(shopper, checkout_data):
    shopper.cookies.load(BROWSER_COOKIES)
    checkout_data["phone"] = "+44 1268  773 766"
    checkout_data["access_notes"] = (
        "Call 01268  773766 or 07700  900  456. Fitting on 2026/12/07 or 07.12.2026 at 12.30; "
        "router 192.168.100.200, meter S21004567, job 4242424242424241, quote 1.249.50."
    )

    response = shopper.post(reverse("orders:checkout"), checkout_data, follow=True, **BROWSER)

    assert response.status_code == 200
    assert Order.objects.get().access_notes == checkout_data["access_notes"]


def test_a_full_width_mpan_passes_the_guard(shopper, checkout_data):
    mpan = mpan_that_passes_luhn()
    full_width = wide(mpan)
    checkout_data["mpan"] = full_width

    response = shopper.post(reverse("orders:checkout"), checkout_data)

    assert REFUSAL not in response.content.decode()  # the form itself answers, not the guard
    assert is_mpan(full_width)


def test_four_unrelated_numbers_pass(client, db):
    data = {"qty": "4242", "year": "4242", "pin": "4242", "floor": "4242", "message": "hi"}

    assert client.get("/", data).status_code == 200
    assert client.get("/", {"product": ["4242", "4242", "4242", "4242"]}).status_code == 200
    response = client.post("/", {"ids": [4242, 4242, 4242, 4242]}, content_type="application/json")
    assert response.status_code != 400


def test_a_card_number_in_a_cookie_no_set_cookie_can_name_is_refused_all_the_same():
    request = RequestFactory().get("/", HTTP_COOKIE=f"basket[note]={VISA}")

    response = CardDataGuardMiddleware(lambda r: HttpResponse("ok"))(request)

    assert response.status_code == 400
    assert VISA not in response.content.decode()


@pytest.mark.parametrize(
    "cookie_header",
    [
        f"note={VISA}; note=ok",  # a duplicate name: Django keeps the last one only
        'note="' + "".join(f"\\{ord(d):03o}" for d in VISA) + '"',  # octal escapes
        f"a=1; {VISA}",  # no name at all
    ],
)
def test_card_numbers_hidden_in_the_cookie_header_are_found(cookie_header):
    assert not passes(RequestFactory().get("/", HTTP_COOKIE=cookie_header))


def test_headers_seen_before_are_still_looked_at_when_they_change():
    headers = dict(BROWSER)
    headers["HTTP_COOKIE"] = "; ".join(f"{name}={value}" for name, value in BROWSER_COOKIES.items())
    for _ in range(3):
        assert passes(RequestFactory().get("/", **headers))

    headers["HTTP_COOKIE"] += f"; note={VISA}"
    assert not passes(RequestFactory().get("/", **headers))
    headers["HTTP_REFERER"] += "&q=4242.4242.4242.4242"
    assert not passes(RequestFactory().get("/", **{**headers, "HTTP_COOKIE": "a=1"}))


def test_an_mpan_in_its_own_cookie_or_in_the_referer_of_a_page_with_it_passes():
    mpan = mpan_that_passes_luhn()
    referer = f"https://shop.example/meters/check/?mpan={mpan}&postcode=SS14+3AE"

    assert passes(RequestFactory().get("/", HTTP_COOKIE=f"mpan={mpan}; a=1"))
    assert passes(RequestFactory().get("/", HTTP_REFERER=referer))
    assert not passes(RequestFactory().get("/", HTTP_COOKIE=f"note={mpan}"))
    assert not passes(RequestFactory().get("/", HTTP_REFERER=referer.replace("mpan=", "note=")))
    assert not passes(RequestFactory().get("/", HTTP_REFERER=f"https://shop.example/c/{VISA}/"))


def test_the_refusal_page_sends_no_referer_that_could_carry_the_number(client, db):
    response = client.get(f"/orders/{VISA}/")

    assert response.status_code == 400
    assert response["Referrer-Policy"] == "no-referrer"
