"""The Oscar shop's answers to jsg_privacy's compliance kit (JSG_PRIVACY_KIT in settings.py): the
pages to visit, how to reach the checkout, and a customer with an order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from oscar.core.loading import get_model
from oscar.test import factories

Product = get_model("catalogue", "Product")
User = get_model("auth", "User")
SHOPPER = {"email": "kit-shopper@example.com", "password": "kit-shopper-password"}


def pages() -> list[str]:
    product = Product.objects.filter(structure="standalone").first()
    return ["/search/?q=oak", *([product.get_absolute_url()] if product else [])]


def make_catalogue() -> None:
    factories.create_product(title="Oak stool", price=Decimal("45.00"), num_in_stock=3)
    User.objects.create_user("kit-shopper", SHOPPER["email"], SHOPPER["password"])


def fill_basket(visitor: Any) -> None:
    """Sign in (this shop has no guest checkout) and add the product with the form on its page."""
    login = visitor.get("/accounts/login/")
    form = login.soup.find("form", id="login_form")
    if form is not None:
        visitor.submit(
            login,
            form,
            {
                "login-username": SHOPPER["email"],
                "login-password": SHOPPER["password"],
                "login_submit": "Log In",
            },
        )
    product = Product.objects.filter(structure="standalone").first()
    if product is None:
        return
    page = visitor.get(product.get_absolute_url())
    form = page.soup.find("form", id="add_to_basket_form")
    if form is not None:
        visitor.submit(page, form, {"quantity": "1"})


def make_customer() -> Any:
    from tests_oscar.conftest import place_order

    user = factories.UserFactory(email="kit-subject@example.com", first_name="Kit")
    place_order(user=user)
    return user
