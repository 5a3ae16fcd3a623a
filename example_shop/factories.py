"""factory-boy factories for every model of the example shop, with realistic UK data.

Shared by the tests (``tests/example_shop/conftest.py`` exposes them as fixtures) and by the
demo data (``example_shop/demo.py``). Faker runs with the ``en_GB`` locale; e-mail addresses use
reserved example domains so that no real mailbox is ever written to.
"""

import functools
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.utils.text import slugify
from factory.random import randgen

from example_shop.accounts.models import CustomerProfile
from example_shop.catalogue.models import Category, Product
from example_shop.enquiries.models import Enquiry, QuoteRequest
from example_shop.orders.models import Order, OrderLine
from example_shop.orders.validators import mpan_check_digit

LOCALE = "en_GB"
DEMO_PASSWORD = "correct-horse-meter-42"  # noqa: S105 - demo and test customers only


def uk(provider: str, **kwargs: Any) -> factory.Faker:
    return factory.Faker(provider, locale=LOCALE, **kwargs)


def random_mpan_core() -> str:
    """A 13-digit MPAN core with a valid check digit (distributor ids 10-23)."""
    first_twelve = f"{randgen.randint(10, 23)}{randgen.randint(0, 10**10 - 1):010d}"
    return f"{first_twelve}{mpan_check_digit(first_twelve)}"


@functools.cache
def demo_password_hash() -> str:
    """Hash the shared customer password once: hashing it per user would slow the demo down."""
    return make_password(DEMO_PASSWORD)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Meters range {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = "Meters and current transformers for UK installations."


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"EM{100 + n} Single-Phase MID kWh Meter")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    sku = factory.Sequence(lambda n: f"JSG-{10000 + n}")
    kind = Product.Kind.SINGLE_PHASE_METER
    short_description = "DIN-rail kWh meter with pulse output."
    description = (
        "A DIN-rail kWh meter for one single-phase circuit, with an S0 pulse output for a data "
        "logger and sealable terminal covers."
    )
    price = Decimal("49.50")
    stock = 25
    is_active = True
    mid_approved = True


class UserFactory(factory.django.DjangoModelFactory):
    """A customer: username is the e-mail address; the profile is created with the user."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    first_name = uk("first_name")
    last_name = uk("last_name")
    email = factory.LazyAttributeSequence(
        lambda o, n: f"{slugify(o.first_name)}.{slugify(o.last_name)}{n}@example.co.uk"
    )
    username = factory.SelfAttribute("email")
    password = factory.LazyFunction(demo_password_hash)
    profile = factory.RelatedFactory(
        "example_shop.factories.CustomerProfileFactory", factory_related_name="user"
    )


class CustomerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerProfile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory, profile=None)
    phone = uk("phone_number")
    company_name = ""
    billing_line1 = factory.LazyAttribute(lambda o: f"{o.building_number} {o.street_name}")
    billing_town = uk("city")
    billing_postcode = uk("postcode")
    installation_line1 = factory.SelfAttribute("billing_line1")
    installation_town = factory.SelfAttribute("billing_town")
    installation_postcode = factory.SelfAttribute("billing_postcode")

    class Params:
        building_number = uk("building_number")
        street_name = uk("street_name")
        trade = factory.Trait(company_name=uk("company"))


class OrderFactory(factory.django.DjangoModelFactory):
    """An order with one line by default; ``lines=3`` for three, ``lines=0`` for none."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    user = None
    email = factory.LazyAttribute(
        lambda o: o.user.email if o.user else f"{slugify(o.full_name)}@example.org"
    )
    full_name = factory.LazyAttribute(lambda o: o.user.get_full_name() if o.user else o.guest_name)
    phone = uk("phone_number")
    billing_line1 = factory.LazyAttribute(lambda o: f"{o.building_number} {o.street_name}")
    billing_town = uk("city")
    billing_postcode = uk("postcode")
    installation_line1 = factory.SelfAttribute("billing_line1")
    installation_town = factory.SelfAttribute("billing_town")
    installation_postcode = factory.SelfAttribute("billing_postcode")
    site_contact_name = factory.SelfAttribute("full_name")
    site_contact_phone = factory.SelfAttribute("phone")
    mpan = factory.LazyFunction(random_mpan_core)
    meter_serial = factory.Sequence(lambda n: f"S{21000000 + n}")
    status = Order.Status.AWAITING_PAYMENT

    class Params:
        guest_name = uk("name")
        building_number = uk("building_number")
        street_name = uk("street_name")
        placed_by_agent = factory.Trait(
            ordered_on_behalf=Order.OrderedOnBehalf.AGENT,
            company_name=uk("company"),
            agent_name=uk("name"),
            agent_email=factory.Sequence(lambda n: f"orders{n}@agent.example.com"),
            agent_phone=uk("phone_number"),
        )
        placed_by_employer = factory.Trait(
            ordered_on_behalf=Order.OrderedOnBehalf.EMPLOYER,
            company_name=uk("company"),
            agent_name=uk("name"),
            agent_email=factory.Sequence(lambda n: f"purchasing{n}@employer.example.com"),
            agent_phone=uk("phone_number"),
        )

    @factory.post_generation
    def lines(self, create: bool, extracted: int | None, **kwargs: Any) -> None:
        if not create:
            return
        count = 1 if extracted is None else extracted
        for _ in range(count):
            OrderLineFactory(order=self, **kwargs)
        self.recalculate_totals()
        self.save(update_fields=["subtotal", "total"])


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory, lines=0)
    product = factory.SubFactory(ProductFactory)
    product_name = factory.SelfAttribute("product.name")
    unit_price = factory.SelfAttribute("product.price")
    quantity = factory.LazyFunction(lambda: randgen.randint(1, 4))


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    name = uk("name")
    email = factory.LazyAttributeSequence(lambda o, n: f"{slugify(o.name)}{n}@example.net")
    phone = uk("phone_number")
    subject = "Which CT do I need for a 100 A supply?"
    message = "We have 25 mm tails into the board. Would a 100/5 A split-core CT fit?"


class QuoteRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuoteRequest
        skip_postgeneration_save = True

    name = uk("name")
    email = factory.LazyAttributeSequence(lambda o, n: f"{slugify(o.name)}{n}@example.net")
    phone = uk("phone_number")
    company_name = uk("company")
    installation_postcode = uk("postcode")
    quantity = factory.LazyFunction(lambda: randgen.choice([5, 10, 20, 40, 100]))
    message = "Sub-metering for a block of flats: one MID meter per flat, read remotely."

    @factory.post_generation
    def products(self, create: bool, extracted: list[Product] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.products.set(extracted)


ALL_FACTORIES = [
    CategoryFactory,
    ProductFactory,
    UserFactory,
    CustomerProfileFactory,
    OrderFactory,
    OrderLineFactory,
    EnquiryFactory,
    QuoteRequestFactory,
]
