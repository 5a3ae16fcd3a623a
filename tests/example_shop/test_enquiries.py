import pytest
from django.urls import reverse

from example_shop.enquiries.models import Enquiry, QuoteRequest

pytestmark = pytest.mark.django_db


def test_contact_form_stores_the_enquiry_and_thanks(client):
    data = {
        "name": "Tom Baker",
        "email": "tom.baker@example.co.uk",
        "phone": "",
        "subject": "Modbus register map",
        "message": "Could you send the EM340 register map?",
    }

    response = client.post(reverse("enquiries:contact"), data, follow=True)

    assert response.redirect_chain[-1][0] == reverse("enquiries:contact_thanks")
    assert "Thank you for your message" in response.text
    enquiry = Enquiry.objects.get()
    assert enquiry.subject == "Modbus register map"
    assert enquiry.answered_at is None


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("email", "tom@", "Enter a valid email address."),
        ("phone", "12", "Enter a phone number"),
        ("message", "", "This field is required."),
    ],
)
def test_contact_form_shows_field_errors(client, field, value, error):
    data = {"name": "Tom", "email": "tom@example.com", "subject": "Hi", "message": "Hello"}
    data[field] = value

    response = client.post(reverse("enquiries:contact"), data)

    assert response.status_code == 200
    assert error in response.text
    assert not Enquiry.objects.exists()


def test_quote_request_stores_products_and_user(customer_client, customer, product):
    data = {
        "name": "Priya Shah",
        "email": "priya.shah@example.co.uk",
        "phone": "07700 900456",
        "company_name": "Shah Properties Ltd",
        "installation_postcode": "cm11xf",
        "products": [product.pk],
        "quantity": "12",
        "message": "Twelve flats, one MID meter each.",
    }

    response = customer_client.post(reverse("enquiries:quote_request"), data, follow=True)

    assert "Thank you for your quote request" in response.text
    quote = QuoteRequest.objects.get()
    assert quote.status == QuoteRequest.Status.OPEN
    assert quote.user == customer
    assert quote.installation_postcode == "CM1 1XF"
    assert list(quote.products.all()) == [product]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("installation_postcode", "12345"),
        ("quantity", "lots"),
        ("quantity", "0"),
        ("products", "999999"),
        ("phone", ""),
    ],
)
def test_quote_request_shows_field_errors(client, field, value):
    data = {
        "name": "Guest",
        "email": "guest@example.com",
        "phone": "01268 773766",
        "installation_postcode": "SS14 3AE",
        "quantity": "3",
        "message": "Three meters please.",
        field: value,
    }

    response = client.post(reverse("enquiries:quote_request"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not QuoteRequest.objects.exists()


def test_guest_quote_request_has_no_user(client):
    data = {
        "name": "Guest",
        "email": "guest@example.com",
        "phone": "01268 773766",
        "installation_postcode": "SS14 3AE",
        "quantity": "3",
        "message": "Three meters please.",
    }

    client.post(reverse("enquiries:quote_request"), data)

    assert QuoteRequest.objects.get().user is None
