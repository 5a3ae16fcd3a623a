"""Signal receivers: marketing choices flow to Saleor; an order's hold ending clears it in Saleor;
a customer's index row deleted is remembered for a while (:class:`~.models.ErasedCustomer`).

jsg_privacy.marketing sends no signal of its own when a choice changes, so the state rows are
watched instead: every change of a :class:`~jsg_privacy.marketing.models.MarketingConsent` or
:class:`~jsg_privacy.marketing.models.Suppression` row queues a write of the flags of the indexed
customers with that e-mail key, after the transaction commits.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from jsg_privacy.integrations.saleor import handlers, marketing, tasks
from jsg_privacy.integrations.saleor.models import (
    Customer,
    ErasedCustomer,
    Installation,
    Order,
    OrderClearance,
)
from jsg_privacy.marketing.models import MarketingConsent, Suppression
from jsg_privacy.tasks import enqueue


@receiver(post_save, sender=MarketingConsent, dispatch_uid="jsg_privacy_saleor.consent_saved")
def consent_saved(sender: type, instance: MarketingConsent, **kwargs: Any) -> None:
    for customer_id in marketing.customers_for({instance.subject_key, instance.contact_key}):
        enqueue(tasks.sync_marketing, customer_id)


@receiver(post_save, sender=Suppression, dispatch_uid="jsg_privacy_saleor.suppression_saved")
@receiver(post_delete, sender=Suppression, dispatch_uid="jsg_privacy_saleor.suppression_lifted")
def suppression_changed(sender: type, instance: Suppression, **kwargs: Any) -> None:
    for customer_id in marketing.customers_for({instance.key}):
        enqueue(tasks.sync_marketing, customer_id)


@receiver(post_delete, sender=Order, dispatch_uid="jsg_privacy_saleor.order_deleted")
def order_deleted(sender: type, instance: Order, **kwargs: Any) -> None:
    """The retention engine deletes an order's record when its hold ends: clear the rest in Saleor.

    The clearance is recorded in the deleting transaction and carried out after it commits.
    """
    if _installation_deleted(kwargs):
        return  # the installation itself is being deleted: nothing left to call
    clearance = OrderClearance.objects.create(
        installation_id=instance.installation_id, saleor_id=instance.saleor_id
    )
    enqueue(tasks.clear_order, clearance.pk)


@receiver(post_delete, sender=Customer, dispatch_uid="jsg_privacy_saleor.customer_forgotten")
def customer_forgotten(sender: type, instance: Customer, **kwargs: Any) -> None:
    """However a customer's index row goes (erasure, CUSTOMER_DELETED, retention), remember it.

    Recorded in the deleting transaction: a late event issued before it is then ignored instead of
    indexing the customer again (see :mod:`.handlers`).
    """
    if _installation_deleted(kwargs):
        return  # its records go with it
    ErasedCustomer.objects.record(
        instance.installation_id, instance.saleor_id, handlers.erased_at()
    )


def _installation_deleted(kwargs: dict[str, Any]) -> bool:
    """Whether the row goes because its installation is being deleted (the delete's ``origin``)."""
    origin = kwargs.get("origin")
    return isinstance(origin, Installation) or getattr(origin, "model", None) is Installation
