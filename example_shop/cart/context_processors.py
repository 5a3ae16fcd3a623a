from django.http import HttpRequest

from example_shop.cart.cart import Cart


def cart(request: HttpRequest) -> dict[str, int]:
    """Expose the number of items in the cart to every template (no database query)."""
    if not hasattr(request, "session"):
        return {"cart_item_count": 0}
    return {"cart_item_count": len(Cart(request))}
