import uuid
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from example_shop.accounts.models import CustomerProfile
from example_shop.cart.cart import Cart, total_of
from example_shop.orders.checkout import CheckoutError, place_order
from example_shop.orders.emails import send_confirmation
from example_shop.orders.forms import CheckoutForm
from example_shop.orders.models import Order
from jsg_privacy.consent.forms import record_inline
from jsg_privacy.consent.models import Channel
from jsg_privacy.marketing.choices import Person
from jsg_privacy.requests import identity

PLACED_ORDERS_SESSION_KEY = "orders_placed"
PLACED_ORDERS_REMEMBERED = 10


def checkout_initial(request: HttpRequest) -> dict[str, Any]:
    """Pre-fill the checkout form from a signed-in customer's account: the details saved in it,
    else those of their latest order (an account from before checkout saved them)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    initial: dict[str, Any] = {"full_name": user.get_full_name(), "email": user.email}
    profile = CustomerProfile.objects.filter(user=user).first()
    if profile is not None and profile.billing_line1:
        initial.update(profile.checkout_initial())
    else:
        latest = Order.objects.filter(user=user).order_by("-created_at", "-pk").first()
        if latest is not None:
            initial.update(latest.checkout_initial())
    return initial


def marketing_person(request: HttpRequest) -> Person | None:
    """A signed-in customer, whose current marketing choices the checkout shows."""
    user = request.user
    if not user.is_authenticated:
        return None
    return Person.of(user=user, proven=identity.address_proven(user, user.email))


def checkout(request: HttpRequest) -> HttpResponse:
    cart = Cart(request)
    lines = cart.lines()
    if not lines:
        messages.info(request, "Your cart is empty: add a product before checking out.")
        return redirect("cart:detail")

    options = {
        "marketing_person": marketing_person(request),
        "signed_in": request.user.is_authenticated,
    }
    if request.method == "POST":
        form = CheckoutForm(request.POST, **options)
        if form.is_valid():
            base_url = request.build_absolute_uri("/")
            try:
                order = place_order(form, cart, request.user, base_url=base_url)
            except CheckoutError as error:
                messages.error(request, str(error))
                return redirect("cart:detail")
            remember_placed_order(request, order)
            response = redirect(order.get_confirmation_url())
            # The cookie switches are fields of this form: what was switched counts now.
            record_inline(request, response, channel=Channel.CHECKOUT)
            transaction.on_commit(lambda: send_confirmation(order, base_url=base_url))
            return response
    else:
        form = CheckoutForm(initial=checkout_initial(request), **options)

    context = {
        "form": form,
        "lines": lines,
        "total": total_of(lines),
        "saved_details": request.user.is_authenticated and bool(form.initial.get("billing_line1")),
    }
    return render(request, "orders/checkout.html", context)


def confirmation(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The order confirmation, at a URL nobody can guess from another order's.

    Only the browser session that placed the order, or the signed-in customer it belongs to,
    may see it: a confirmation link that leaks (history, a shared screen) shows nothing.
    """
    order = get_object_or_404(Order.objects.prefetch_related("lines"), public_id=public_id)
    if not can_view(request, order):
        raise Http404("No such order.")
    return render(request, "orders/confirmation.html", {"order": order})


def can_view(request: HttpRequest, order: Order) -> bool:
    """The browser session that placed the order, or the signed-in customer it belongs to."""
    placed_here = str(order.public_id) in request.session.get(PLACED_ORDERS_SESSION_KEY, [])
    owner = request.user.is_authenticated and order.user_id == request.user.pk
    return placed_here or owner


def remember_placed_order(request: HttpRequest, order: Order) -> None:
    """Let this session see the confirmation of the order it just placed."""
    placed = request.session.get(PLACED_ORDERS_SESSION_KEY, [])
    placed = [*placed, str(order.public_id)][-PLACED_ORDERS_REMEMBERED:]
    request.session[PLACED_ORDERS_SESSION_KEY] = placed
