"""A shopping cart kept in the session as ``{product_id: quantity}``.

Only ids and quantities live in the session; prices and names are read from the catalogue
each time, so a cart never shows a stale price and holds no personal data.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest

from example_shop.catalogue.models import Product

SESSION_KEY = "cart"
MAX_QUANTITY = 99


class CartError(ValueError):
    """A quantity the cart cannot hold; the message is safe to show to the customer."""


@dataclass(frozen=True)
class CartLine:
    product: Product
    quantity: int

    @property
    def line_total(self) -> Decimal:
        return self.product.price * self.quantity


class Cart:
    def __init__(self, request: HttpRequest) -> None:
        self.session = request.session
        stored = self.session.get(SESSION_KEY)
        self._items: dict[str, int] = stored if isinstance(stored, dict) else {}

    def __len__(self) -> int:
        """The number of items (not lines) in the cart, as shown in the header."""
        return sum(self._items.values())

    def __iter__(self) -> Iterator[CartLine]:
        products = Product.objects.active().in_bulk([int(pk) for pk in self._items])
        for pk, quantity in self._items.items():
            product = products.get(int(pk))
            if product is not None:
                yield CartLine(product=product, quantity=quantity)

    def quantity_of(self, product: Product) -> int:
        return self._items.get(str(product.pk), 0)

    def add(self, product: Product, quantity: int) -> None:
        self.set(product, self.quantity_of(product) + quantity)

    def set(self, product: Product, quantity: int) -> None:
        check_quantity(product, quantity)
        self._items[str(product.pk)] = quantity
        self._save()

    def remove(self, product_id: int) -> None:
        if self._items.pop(str(product_id), None) is not None:
            self._save()

    def clear(self) -> None:
        self._items = {}
        self.session.pop(SESSION_KEY, None)

    def lines(self) -> list[CartLine]:
        return list(self)

    @property
    def is_empty(self) -> bool:
        return not self._items

    def _save(self) -> None:
        self.session[SESSION_KEY] = self._items
        self.session.modified = True


def total_of(lines: Iterable[CartLine]) -> Decimal:
    return sum((line.line_total for line in lines), Decimal(0))


def check_quantity(product: Product, quantity: int) -> None:
    """Refuse quantities below one, above the per-line limit or above the stock."""
    if quantity < 1:
        raise CartError("Please choose a quantity of at least 1.")
    if quantity > MAX_QUANTITY:
        raise CartError(
            f"You can order up to {MAX_QUANTITY} of one product online; "
            "please request a quote for larger quantities."
        )
    if quantity > product.stock:
        if product.stock == 0:
            raise CartError(f"Sorry, {product.name} is out of stock.")
        raise CartError(f"Sorry, we only have {product.stock} of {product.name} in stock.")
