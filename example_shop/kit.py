"""What jsg_privacy's compliance kit needs to know about this shop (settings: JSG_PRIVACY_KIT):
the product and category pages to visit, how to fill a basket before the checkout, and a customer
with data in every source. See docs/compliance-kit.md."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone

from example_shop.catalogue.models import Category, Product
from example_shop.orders.models import Order


def pages() -> list[str]:
    """A category and a product page (the URLconf's other pages are discovered)."""
    product = Product.objects.filter(is_active=True, stock__gt=0).first()
    category = Category.objects.first()
    return [item.get_absolute_url() for item in (category, product) if item is not None]


def make_catalogue() -> None:
    """pytest only: the catalogue the pages need, in the test database."""
    from example_shop.factories import ProductFactory

    ProductFactory(stock=5)


def fill_basket(visitor: Any) -> None:
    """Put a product in the visitor's basket, as a customer does: the form on its page."""
    product = Product.objects.filter(is_active=True, stock__gt=0).first()
    if product is None:
        return
    page = visitor.get(product.get_absolute_url())
    form = page.soup.find("form", action=reverse("cart:add", args=[product.pk]))
    if form is not None:
        visitor.submit(page, form, {"quantity": "1"})


def make_customer() -> AbstractBaseUser:
    """A customer with an account, a profile, an invoiced order (kept for the tax record under a
    legal hold), an unpaid one, an enquiry and a quote request."""
    from example_shop.factories import (
        EnquiryFactory,
        OrderFactory,
        QuoteRequestFactory,
        UserFactory,
    )

    user = UserFactory()
    OrderFactory(user=user, lines=2, status=Order.Status.PAID, invoiced_at=timezone.now())
    OrderFactory(user=user, lines=1)
    EnquiryFactory(email=user.email, name=user.get_full_name())
    QuoteRequestFactory(email=user.email, name=user.get_full_name())
    return user  # type: ignore[no-any-return]
