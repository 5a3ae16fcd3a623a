"""An order's address rows go with the order.

Oscar gives every order its own shipping and billing address rows, linked from the order
(``on_delete=SET_NULL`` the other way round), so deleting an order (at the end of its retention,
or by staff) would leave them behind with no order to find them by or date them from.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete


def delete_addresses(sender: Any, instance: Any, **kwargs: Any) -> None:
    """After an order is deleted, delete its address rows that no other order uses."""
    for field in ("shipping_address", "billing_address"):
        model = instance._meta.get_field(field).related_model
        pk = getattr(instance, f"{field}_id")
        if pk is not None:
            model._default_manager.filter(pk=pk, order__isnull=True).delete()


ORDER = "order.Order"  # Oscar's, or a fork of Oscar's order app


def connect() -> None:
    try:
        order = apps.get_model(ORDER)
    except LookupError:
        return
    post_delete.connect(delete_addresses, sender=order, dispatch_uid="jsg_privacy_oscar_addresses")
