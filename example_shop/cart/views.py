from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from example_shop.cart.cart import Cart, CartError, total_of
from example_shop.cart.forms import QuantityForm, first_error
from example_shop.catalogue.models import Product


def cart_detail(request: HttpRequest) -> HttpResponse:
    cart = Cart(request)
    lines = cart.lines()
    return render(request, "cart/cart_detail.html", {"lines": lines, "total": total_of(lines)})


@require_POST
def cart_add(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.active(), pk=product_id)
    form = QuantityForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(product)
    try:
        Cart(request).add(product, form.cleaned_data["quantity"])
    except CartError as error:
        messages.error(request, str(error))
        return redirect(product)
    messages.success(request, f"Added {product.name} to your cart.")
    return redirect("cart:detail")


@require_POST
def cart_update(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.active(), pk=product_id)
    form = QuantityForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("cart:detail")
    try:
        Cart(request).set(product, form.cleaned_data["quantity"])
    except CartError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Updated the quantity of {product.name}.")
    return redirect("cart:detail")


@require_POST
def cart_remove(request: HttpRequest, product_id: int) -> HttpResponse:
    Cart(request).remove(product_id)
    messages.success(request, "Removed the item from your cart.")
    return redirect("cart:detail")
