import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def add(client, product, quantity="1"):
    data = {} if quantity is None else {"quantity": quantity}
    return client.post(reverse("cart:add", args=[product.pk]), data, follow=True)


def message_texts(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_add_to_cart_shows_the_line_and_header_count(client, product):
    response = add(client, product, "2")

    assert response.redirect_chain[-1][0] == reverse("cart:detail")
    assert "EM340 Three-Phase MID Meter" in response.text
    assert "£258.00" in response.text
    assert response.context["cart_item_count"] == 2


def test_adding_twice_adds_up(client, product):
    add(client, product, "2")
    response = add(client, product, "1")

    assert response.context["cart_item_count"] == 3


def test_update_quantity(client, product):
    add(client, product, "1")

    response = client.post(
        reverse("cart:update", args=[product.pk]), {"quantity": "4"}, follow=True
    )

    assert response.context["cart_item_count"] == 4
    assert "£516.00" in response.text


def test_remove_line(client, product):
    add(client, product, "1")

    response = client.post(reverse("cart:remove", args=[product.pk]), follow=True)

    assert response.context["cart_item_count"] == 0
    assert "Your cart is empty." in response.text


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("abc", "whole number"),
        ("0", "at least 1"),
        ("-1", "at least 1"),
        ("100000", "up to 99"),
        ("6", "only have 5"),  # stock + 1
        (None, "enter a quantity"),
    ],
)
def test_bad_quantity_on_add_gives_a_message_not_an_error(client, product, quantity, message):
    response = add(client, product, quantity)

    assert response.status_code == 200
    assert any(message in text for text in message_texts(response))
    assert response.context["cart_item_count"] == 0


@pytest.mark.parametrize(
    ("quantity", "message"),
    [("abc", "whole number"), ("0", "at least 1"), ("6", "only have 5"), (None, "quantity")],
)
def test_bad_quantity_on_update_keeps_the_cart(client, product, quantity, message):
    add(client, product, "2")
    data = {} if quantity is None else {"quantity": quantity}

    response = client.post(reverse("cart:update", args=[product.pk]), data, follow=True)

    assert response.status_code == 200
    assert any(message in text for text in message_texts(response))
    assert response.context["cart_item_count"] == 2


def test_adding_more_than_the_stock_in_two_steps_is_refused(client, product):
    add(client, product, "4")
    response = add(client, product, "2")

    assert any("only have 5" in text for text in message_texts(response))
    assert response.context["cart_item_count"] == 4


def test_out_of_stock_product_cannot_be_added(client, product_factory):
    product = product_factory(stock=0)

    response = add(client, product, "1")

    assert any("out of stock" in text for text in message_texts(response))


def test_unknown_product_is_404(client):
    assert client.post(reverse("cart:add", args=[999999]), {"quantity": "1"}).status_code == 404


@pytest.mark.parametrize("name", ["cart:add", "cart:update", "cart:remove"])
def test_cart_changes_need_post(client, product, name):
    assert client.get(reverse(name, args=[product.pk])).status_code == 405


def test_cart_forms_need_a_csrf_token(product):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("cart:add", args=[product.pk]), {"quantity": "1"})

    assert response.status_code == 403


def test_product_withdrawn_from_sale_disappears_from_the_cart(client, product):
    add(client, product, "1")
    product.is_active = False
    product.save()

    response = client.get(reverse("cart:detail"))

    assert "Your cart is empty." in response.text
