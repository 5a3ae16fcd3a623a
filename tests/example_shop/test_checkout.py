import uuid

import pytest
from django.test import Client
from django.urls import reverse

from example_shop.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart_with(client):
    def fill(product, quantity=2):
        client.post(reverse("cart:add", args=[product.pk]), {"quantity": str(quantity)})
        return client

    return fill


def place(client, data):
    return client.post(reverse("orders:checkout"), data, follow=True)


def test_guest_checkout_places_an_order_awaiting_payment(client, cart_with, product, checkout_data):
    cart_with(product, 2)

    response = place(client, checkout_data)

    order = Order.objects.get()
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert order.user is None
    assert order.reference.startswith("JSG-")
    assert order.total == order.subtotal == product.price * 2
    assert order.billing_postcode == order.installation_postcode == "SS14 3AE"
    assert order.mpan == "1200023305967"
    line = order.lines.get()
    assert (line.product_name, line.quantity, line.unit_price) == (product.name, 2, product.price)

    product.refresh_from_db()
    assert product.stock == 3
    assert response.context["cart_item_count"] == 0
    assert response.redirect_chain[-1][0] == order.get_confirmation_url()
    assert order.reference in response.text
    assert "Awaiting payment" in response.text
    assert ">Pay £258.00</a>" in response.text
    assert "£258.00" in response.text


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(client):
    response = client.get(reverse("orders:checkout"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("cart:detail")
    assert "Your cart is empty" in response.text


def test_stock_sold_meanwhile_stops_the_order(client, cart_with, product, checkout_data):
    cart_with(product, 4)
    product.stock = 3
    product.save()

    response = place(client, checkout_data)

    assert not Order.objects.exists()
    assert response.redirect_chain[-1][0] == reverse("cart:detail")
    assert "only have 3" in response.text
    product.refresh_from_db()
    assert product.stock == 3


@pytest.mark.parametrize("placed_by", ["agent", "employer"])
def test_order_placed_by_an_agent_requires_the_agent_fields(
    client, cart_with, product, checkout_data, placed_by
):
    cart_with(product)
    checkout_data["ordered_on_behalf"] = placed_by

    response = place(client, checkout_data)

    assert not Order.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"company_name", "agent_name", "agent_email", "agent_phone"}
    assert "Required when an employer or agent is placing the order." in response.text


def test_order_placed_by_an_agent_records_the_agent(client, cart_with, product, checkout_data):
    cart_with(product)
    checkout_data.update(
        ordered_on_behalf="agent",
        company_name="Thames Lettings Ltd",
        agent_name="Oliver Grant",
        agent_email="oliver@thameslettings.example",
        agent_phone="020 7946 0958",
    )

    place(client, checkout_data)

    order = Order.objects.get()
    assert order.ordered_on_behalf == Order.OrderedOnBehalf.AGENT
    assert (order.company_name, order.agent_name) == ("Thames Lettings Ltd", "Oliver Grant")


def test_agent_details_are_dropped_when_the_customer_orders(
    client, cart_with, product, checkout_data
):
    cart_with(product)
    checkout_data.update(agent_name="Typed by mistake", agent_email="x@example.com")

    place(client, checkout_data)

    order = Order.objects.get()
    assert (order.agent_name, order.agent_email) == ("", "")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mpan", "1200023305968"),
        ("billing_postcode", "not a postcode"),
        ("phone", "123"),
        ("email", "amelia@"),
        ("full_name", ""),
    ],
)
def test_bad_checkout_input_shows_the_error_on_the_field(
    client, cart_with, product, checkout_data, field, value
):
    cart_with(product)
    checkout_data[field] = value

    response = place(client, checkout_data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Order.objects.exists()


def test_separate_installation_address_is_required_and_kept(
    client, cart_with, product, checkout_data
):
    cart_with(product)
    del checkout_data["installation_same_as_billing"]

    response = place(client, checkout_data)
    assert {"installation_line1", "installation_town", "installation_postcode"} <= set(
        response.context["form"].errors
    )

    checkout_data.update(
        installation_line1="Unit 4, Gardiners Lane South",
        installation_town="Basildon",
        installation_postcode="SS14 3HE",
        site_contact_name="Site manager",
        site_contact_phone="07700 900123",
    )
    place(client, checkout_data)

    order = Order.objects.get()
    assert order.installation_line1 == "Unit 4, Gardiners Lane South"
    assert order.billing_line1 == "12 Cranes Farm Road"


def test_logged_in_checkout_is_prefilled_and_linked_to_the_customer(
    customer_client, customer, product, checkout_data
):
    profile = customer.customer_profile
    customer_client.post(reverse("cart:add", args=[product.pk]), {"quantity": "1"})

    page = customer_client.get(reverse("orders:checkout"))
    initial = page.context["form"].initial
    assert initial["full_name"] == "Priya Shah"
    assert initial["email"] == "priya.shah@example.co.uk"
    assert initial["billing_postcode"] == profile.billing_postcode
    assert profile.billing_line1 in page.text

    checkout_data.update(full_name="Priya Shah", email="priya.shah@example.co.uk")
    place(customer_client, checkout_data)

    assert Order.objects.get().user == customer


def test_confirmation_is_not_reachable_by_id_reference_or_a_made_up_token(
    client, cart_with, product, checkout_data
):
    cart_with(product)
    place(client, checkout_data)
    order = Order.objects.get()

    assert client.get(order.get_confirmation_url()).status_code == 200
    made_up = reverse("orders:confirmation", args=[uuid.uuid4()])
    assert client.get(made_up).status_code == 404
    assert client.get(f"/checkout/confirmation/{order.pk}/").status_code == 404
    assert client.get(f"/checkout/confirmation/{order.reference}/").status_code == 404


def test_confirmation_of_another_order_is_404(client, cart_with, product, order_factory):
    someone_elses = order_factory()

    assert client.get(someone_elses.get_confirmation_url()).status_code == 404


def test_confirmation_link_does_not_work_in_another_browser(
    client, cart_with, product, checkout_data
):
    cart_with(product)
    place(client, checkout_data)
    url = Order.objects.get().get_confirmation_url()

    assert Client().get(url).status_code == 404


def test_customer_sees_the_confirmation_of_their_own_order(
    customer_client, order_factory, customer
):
    order = order_factory(user=customer)

    response = customer_client.get(order.get_confirmation_url())

    assert response.status_code == 200
    assert order.reference in response.text


def test_order_references_are_sequential_and_unique(order_factory):
    first, second = order_factory(), order_factory()
    assert first.reference == f"JSG-{first.pk:06d}"
    assert second.reference == f"JSG-{second.pk:06d}"
