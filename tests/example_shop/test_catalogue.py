import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_featured_products_with_price_and_stock(client, product_factory):
    product_factory(name="Split-Core CT 100/5 A", price="24.95", stock=210, is_featured=True)

    response = client.get(reverse("catalogue:home"))

    assert response.status_code == 200
    assert "Split-Core CT 100/5 A" in response.text
    assert "£24.95" in response.text
    assert "In stock (210)" in response.text


def test_category_page_lists_its_products_only(client, category_factory, product_factory):
    cts = category_factory(name="Current transformers", slug="current-transformers")
    product_factory(category=cts, name="Solid-Core CT 60/5 A")
    product_factory(name="EM110 Single-Phase MID kWh Meter")

    response = client.get(cts.get_absolute_url())

    assert response.status_code == 200
    assert "Solid-Core CT 60/5 A" in response.text
    assert "EM110" not in response.text


def test_category_list_counts_products_on_sale(client, category_factory, product_factory):
    category = category_factory(name="Three-phase meters")
    product_factory(category=category)
    product_factory(category=category, is_active=False)

    response = client.get(reverse("catalogue:category_list"))

    assert "Three-phase meters" in response.text
    assert "(1)" in response.text


def test_product_page_shows_price_stock_and_add_to_cart_form(client, product):
    response = client.get(product.get_absolute_url())

    assert response.status_code == 200
    assert "£129.00" in response.text
    assert "In stock (5)" in response.text
    assert reverse("cart:add", args=[product.pk]) in response.text


def test_out_of_stock_product_has_no_add_to_cart_form(client, product_factory):
    product = product_factory(stock=0)

    response = client.get(product.get_absolute_url())

    assert "Out of stock" in response.text
    assert reverse("cart:add", args=[product.pk]) not in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/products/no-such-meter/",
        "/categories/no-such-category/",
    ],
)
def test_unknown_slugs_are_404(client, url):
    assert client.get(url).status_code == 404


def test_inactive_product_is_404(client, product_factory):
    product = product_factory(is_active=False)
    assert client.get(product.get_absolute_url()).status_code == 404


def test_category_page_does_not_query_per_product(
    client, category_factory, product_factory, django_assert_max_num_queries
):
    category = category_factory()
    product_factory.create_batch(10, category=category)

    with django_assert_max_num_queries(6):
        client.get(category.get_absolute_url())
