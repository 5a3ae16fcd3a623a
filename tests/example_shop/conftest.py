"""The example shop's factories as pytest fixtures, plus a few ready-made objects."""

from decimal import Decimal

import factory.random
import pytest
from django.test import Client

from example_shop import factories
from example_shop.catalogue.models import Product


@pytest.fixture(autouse=True)
def _reproducible_factories() -> None:
    factory.random.reseed_random(20180525)


@pytest.fixture
def category_factory(db):
    return factories.CategoryFactory


@pytest.fixture
def product_factory(db):
    return factories.ProductFactory


@pytest.fixture
def user_factory(db):
    return factories.UserFactory


@pytest.fixture
def customer_profile_factory(db):
    return factories.CustomerProfileFactory


@pytest.fixture
def order_factory(db):
    return factories.OrderFactory


@pytest.fixture
def order_line_factory(db):
    return factories.OrderLineFactory


@pytest.fixture
def enquiry_factory(db):
    return factories.EnquiryFactory


@pytest.fixture
def quote_request_factory(db):
    return factories.QuoteRequestFactory


@pytest.fixture
def product(product_factory) -> Product:
    """A three-phase meter with five in stock."""
    return product_factory(
        name="EM340 Three-Phase MID Meter",
        slug="em340-three-phase-mid-meter",
        kind=Product.Kind.THREE_PHASE_METER,
        price=Decimal("129.00"),
        stock=5,
    )


@pytest.fixture
def customer(user_factory):
    return user_factory(first_name="Priya", last_name="Shah", email="priya.shah@example.co.uk")


@pytest.fixture
def customer_client(customer) -> Client:
    client = Client()
    client.force_login(customer)
    return client


@pytest.fixture
def checkout_data() -> dict[str, str]:
    """A valid guest checkout: the installation address is the billing address."""
    return {
        "full_name": "Amelia Hughes",
        "email": "amelia.hughes@example.co.uk",
        "phone": "01268 773766",
        "billing_line1": "12 Cranes Farm Road",
        "billing_line2": "",
        "billing_town": "Basildon",
        "billing_postcode": "ss14 3ae",
        "installation_same_as_billing": "on",
        "site_contact_name": "",
        "site_contact_phone": "",
        "access_notes": "Meter cupboard under the stairs.",
        "mpan": "12 0002 3305 967",
        "meter_serial": "S21004567",
        "ordered_on_behalf": "self",
        "company_name": "",
        "agent_name": "",
        "agent_email": "",
        "agent_phone": "",
    }
