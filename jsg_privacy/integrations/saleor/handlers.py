"""What each webhook event does, run as a task after the delivery was verified and recorded.

- ORDER_CREATED records the order (:class:`~.models.Order`): its creation date starts its retention
  clock and legal hold.
- CUSTOMER_CREATED / CUSTOMER_UPDATED / CUSTOMER_METADATA_UPDATED keep the customer index current
  (an older event never overwrites a newer one); the first two also write the customer's marketing
  flags to Saleor when they differ. CUSTOMER_DELETED removes the customer from the index.
- ACCOUNT_DELETE_REQUESTED opens an erasure case; ACCOUNT_DELETED confirms and runs it.
- APP_DELETED (the app's own removal) wipes the token and the keys.

Nothing here logs personal data: log lines name events and installations only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from jsg_privacy.integrations.saleor import cases, marketing
from jsg_privacy.integrations.saleor.client import SaleorError, SaleorUnavailable
from jsg_privacy.integrations.saleor.installations import forget_installations
from jsg_privacy.integrations.saleor.models import Customer, Installation, Order

logger = logging.getLogger("jsg_privacy.integrations.saleor")

Handler = Callable[[Installation, dict[str, Any], datetime], None]


def handle(installation_id: int, name: str, data: dict[str, Any], issued_at: str) -> None:
    """Run the handler of event ``name`` for the installation."""
    installation = Installation.objects.get(pk=installation_id)
    moment = parse_datetime(issued_at) or timezone.now()
    HANDLERS[name](installation, data, moment)


def order_created(installation: Installation, data: dict[str, Any], issued_at: datetime) -> None:
    Order.objects.get_or_create(
        installation=installation,
        saleor_id=data["id"],
        defaults={
            "number": data["number"],
            "created_at": parse_datetime(data["created"]),
            "user_email": data["email"],
            "saleor_user_id": data["user_id"],
        },
    )


def customer_saved(installation: Installation, data: dict[str, Any], issued_at: datetime) -> None:
    with transaction.atomic():
        customer, created = Customer.objects.select_for_update().get_or_create(
            installation=installation,
            saleor_id=data["id"],
            defaults={"email": data["email"], "updated_at": issued_at},
        )
        if not created:
            if customer.updated_at > issued_at:
                return  # an older event delivered late: the index is already newer
            customer.email, customer.updated_at = data["email"], issued_at
            customer.save(update_fields=["email", "email_digest", "updated_at"])
    if "marketing" in data:
        try:
            marketing.sync(customer, current=data["marketing"])
        except SaleorUnavailable:
            raise  # the whole event is retried
        except SaleorError as error:  # a refusal would refuse again: keep the index current
            logger.warning("Saleor refused the marketing flags of a customer: %s", error)


def customer_deleted(installation: Installation, data: dict[str, Any], issued_at: datetime) -> None:
    Customer.objects.filter(installation=installation, saleor_id=data["id"]).delete()


def _indexed(installation: Installation, data: dict[str, Any], issued_at: datetime) -> Customer:
    customer, _ = Customer.objects.get_or_create(
        installation=installation,
        saleor_id=data["id"],
        defaults={"email": data["email"], "updated_at": issued_at},
    )
    return customer


def account_delete_requested(
    installation: Installation, data: dict[str, Any], issued_at: datetime
) -> None:
    with transaction.atomic():
        cases.open_deletion_case(_indexed(installation, data, issued_at), data["email"])


def account_deleted(installation: Installation, data: dict[str, Any], issued_at: datetime) -> None:
    customer = _indexed(installation, data, issued_at)
    case = cases.erase_deleted_account(customer, data["email"])
    logger.info("Erasure case %s ran after a Saleor account deletion.", case.reference)


def app_deleted(installation: Installation, data: dict[str, Any], issued_at: datetime) -> None:
    if data["id"] != installation.app_id:
        return  # another app's removal is not ours to act on
    Installation.objects.filter(pk=installation.pk).update(
        token="", jwks={}, jwks_fetched_at=None, removed_at=timezone.now()
    )
    transaction.on_commit(forget_installations)
    logger.info("Saleor removed the app from %s: its token was wiped.", installation.api_url)


HANDLERS: dict[str, Handler] = {
    "ORDER_CREATED": order_created,
    "CUSTOMER_CREATED": customer_saved,
    "CUSTOMER_UPDATED": customer_saved,
    "CUSTOMER_METADATA_UPDATED": customer_saved,
    "CUSTOMER_DELETED": customer_deleted,
    "ACCOUNT_DELETE_REQUESTED": account_delete_requested,
    "ACCOUNT_DELETED": account_deleted,
    "APP_DELETED": app_deleted,
}
