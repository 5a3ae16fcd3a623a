"""The example shop's product page against a bare Django view returning the same HTML."""

from django.test import Client

from bench.runner import Result, compare
from bench.urls import BARE_HTML


def run() -> list[Result]:
    from example_shop.factories import ProductFactory

    product = ProductFactory(stock=12)
    client = Client()
    url = f"/products/{product.slug}/"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    BARE_HTML["body"] = response.content

    def subject():
        return client.get(url)

    def baseline():
        return client.get("/__bench__/bare/")

    return [compare("product page / bare view", subject, baseline)]
