"""Placing an order: turn the session cart into an order, atomically."""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import F

from example_shop.accounts.models import BILLING_DEFAULTS, INSTALLATION_DEFAULTS, CustomerProfile
from example_shop.cart.cart import Cart, CartError, check_quantity
from example_shop.catalogue.models import Product
from example_shop.orders.forms import CheckoutForm
from example_shop.orders.models import Order, OrderLine
from jsg_privacy.requests import identity


class CheckoutError(Exception):
    """The order could not be placed; the message is safe to show to the customer."""


def place_order(
    form: CheckoutForm,
    cart: Cart,
    user: AbstractBaseUser | AnonymousUser | None = None,
    *,
    base_url: str = "",
) -> Order:
    """Create the order from a valid checkout form and the cart, then empty the cart.

    In one transaction: lock the products, re-check that each is on sale and in stock,
    decrement the stock, create the order and its lines, and record the marketing boxes the
    customer ticked (the signed-in user, else the order's e-mail address; nothing for unticked
    boxes; a signed-in customer's box shown ticked and left unticked withdraws), and save the
    details in the customer's account if they asked to. Raises ``CheckoutError`` (and changes
    nothing, consent included) if the cart is empty or a product can no longer be supplied.
    ``base_url`` builds a double opt-in link.
    """
    quantities = {line.product.pk: line.quantity for line in cart}
    if not quantities:
        raise CheckoutError("Your cart is empty.")

    with transaction.atomic():
        products = Product.objects.select_for_update().filter(pk__in=quantities).order_by("pk")
        products = {product.pk: product for product in products}
        lines = []
        for pk, quantity in quantities.items():
            product = products.get(pk)
            if product is None or not product.is_active:
                raise CheckoutError("A product in your cart is no longer available.")
            try:
                check_quantity(product, quantity)
            except CartError as error:
                raise CheckoutError(str(error)) from error
            lines.append(
                OrderLine(
                    product=product,
                    product_name=product.name,
                    unit_price=product.price,
                    quantity=quantity,
                )
            )

        order = form.save(commit=False)
        if user is not None and user.is_authenticated:
            order.user = user
        order.subtotal = sum((line.line_total for line in lines), Decimal(0))
        order.total = order.subtotal
        order.save()
        for line in lines:
            line.order = order
            Product.objects.filter(pk=line.product.pk).update(stock=F("stock") - line.quantity)
        OrderLine.objects.bulk_create(lines)
        # A guest, or an account whose address is not confirmed, is not proof that the address is
        # theirs: an e-mail opt-in then waits for the link e-mailed to it.
        signed_in = user is not None and user.is_authenticated
        proven = signed_in and identity.address_proven(user, order.email)
        form.record_marketing(user=user, email=order.email, base_url=base_url, proven=proven)
        if signed_in and form.cleaned_data.get("save_details"):
            save_details(user, order)

    cart.clear()
    return order


def save_details(user: AbstractBaseUser | AnonymousUser, order: Order) -> None:
    """Keep the order's phone, company and addresses in the customer's account for next time."""
    profile, _created = CustomerProfile.objects.get_or_create(user=user)
    profile.phone = order.phone
    profile.company_name = order.company_name
    for name in (*BILLING_DEFAULTS, *INSTALLATION_DEFAULTS):
        setattr(profile, name, getattr(order, name))
    profile.save()
