"""What each webhook event does, run as a task after the delivery was verified and recorded.

- ORDER_CREATED records the order (:class:`~.models.Order`): its creation date starts its retention
  clock and legal hold.
- CUSTOMER_CREATED / CUSTOMER_UPDATED / CUSTOMER_METADATA_UPDATED keep the customer index current
  (an older event never overwrites a newer one); the first two also write the customer's marketing
  flags to Saleor when they differ. CUSTOMER_DELETED removes the customer from the index.
- ACCOUNT_DELETE_REQUESTED opens an erasure case; ACCOUNT_DELETED confirms and runs it.
- CHECKOUT_UPDATED / CHECKOUT_METADATA_UPDATED / ORDER_CREATED record the marketing boxes a
  storefront showed at checkout, CUSTOMER_METADATA_UPDATED those of its account page
  (:mod:`.choices`).
- APP_DELETED (the app's own removal) wipes the token and the keys.

Each customer event locks the customer's index row until its transaction ends, so two events
about one customer handled at once by two workers run one after the other (one erasure case).
A customer whose row was deleted (:class:`~.models.ErasedCustomer`) is not brought back by an
event issued before that: Saleor retries a delivery for hours, so a CUSTOMER_UPDATED or an
ACCOUNT_DELETE_REQUESTED may arrive after the ACCOUNT_DELETED that followed it. Such an event is
accepted and ignored. The records are kept while such an event can still arrive.

Nothing here logs personal data: log lines name events and installations only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from jsg_privacy.integrations.saleor import cases, choices, marketing
from jsg_privacy.integrations.saleor.client import SaleorError, SaleorUnavailable
from jsg_privacy.integrations.saleor.conf import saleor_settings
from jsg_privacy.integrations.saleor.installations import forget_installations
from jsg_privacy.integrations.saleor.models import (
    Customer,
    CustomerEmail,
    ErasedCustomer,
    Installation,
    Order,
)

logger = logging.getLogger("jsg_privacy.integrations.saleor")

Handler = Callable[[Installation, dict[str, Any], datetime], None]

#: The event being handled, as (name, issuedAt): what deletes a customer's row records with it.
_current: ContextVar[tuple[str, datetime] | None] = ContextVar(
    "jsg_privacy_saleor_event", default=None
)


def handle(installation_id: int, name: str, data: dict[str, Any], issued_at: str) -> None:
    """Run the handler of event ``name`` for the installation (in the caller's transaction)."""
    installation = Installation.objects.get(pk=installation_id)
    moment = parse_datetime(issued_at) or timezone.now()
    token = _current.set((name, moment))
    try:
        HANDLERS[name](installation, data, moment)
    finally:
        _current.reset(token)


def erased_at() -> datetime:
    """When a customer whose row is being deleted now was erased, for :class:`ErasedCustomer`.

    During an event (ACCOUNT_DELETED, CUSTOMER_DELETED), the event's ``issuedAt``: Saleor's own
    clock, which later events are compared on. Otherwise (the shop's erasure case, retention), now.
    """
    current = _current.get()
    return current[1] if current else timezone.now()


def purge_erased(limit: int = 500) -> None:
    """Delete the :class:`ErasedCustomer` records no event can still need; skip locked ones.

    An event is refused when issued more than ``JSG_PRIVACY_SALEOR_DEDUPLICATE_HOURS`` before it
    is received; an accepted one may then wait in the queue (Celery's retries, the inbox) before it
    is handled. The records are kept for twice the window, so a late event waiting up to a window
    more is still recognised.
    """
    window = timedelta(hours=saleor_settings.DEDUPLICATE_HOURS)
    stale = ErasedCustomer.objects.filter(erased_at__lt=timezone.now() - 2 * window)
    with transaction.atomic():
        # Another worker's transaction may be purging the same rows: never wait for it.
        keys = list(stale.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        if keys:
            ErasedCustomer.objects.filter(pk__in=keys).delete()


def _event_name() -> str:
    current = _current.get()
    return current[0] if current else "an event"


class _Erased(Exception):
    """The event's customer was erased after the event was issued: roll back what it changed."""


def _locked(
    installation: Installation, data: dict[str, Any], issued_at: datetime
) -> tuple[Customer, bool] | None:
    """The customer's index row, locked until the transaction ends, and whether it is new.

    ``None`` (and nothing written) if the customer was erased after the event was issued. That is
    checked once the row is locked: an erasure another worker committed meanwhile is seen (the row
    it deleted is inserted here again, then rolled back).
    """
    try:
        with transaction.atomic():
            customer, created = Customer.objects.select_for_update().get_or_create(
                installation=installation,
                saleor_id=data["id"],
                defaults={"email": data["email"], "updated_at": issued_at},
            )
            if ErasedCustomer.objects.covers(installation.pk, data["id"], issued_at):
                raise _Erased
            # Every address the customer ever had: their orders keep the one they were placed under.
            CustomerEmail.objects.remember(installation.pk, data["id"], data["email"])
    except _Erased:
        logger.info(
            "Ignored %s from %s: its customer was erased after it was issued.",
            _event_name(),
            installation.api_url,
        )
        return None
    return customer, created


def order_created(installation: Installation, data: dict[str, Any], issued_at: datetime) -> None:
    Order.objects.get_or_create(
        installation=installation,
        saleor_id=data["id"],
        defaults={
            "number": data["number"],
            "created_at": datetime.fromisoformat(data["created"]),  # events.parse wrote it
            "user_email": data["email"],
            "saleor_user_id": data["user_id"],
        },
    )
    user_id = data["user_id"]
    if user_id and not ErasedCustomer.objects.covers(installation.pk, user_id, issued_at):
        CustomerEmail.objects.remember(installation.pk, user_id, data["email"])
    # The order carries its checkout's metadata: boxes the checkout's events did not record yet.
    choices.record(
        installation,
        "ORDER_CREATED",
        data["checkout_id"] or data["id"],
        data["email"],
        data["choices"],
    )


def checkout_updated(installation: Installation, data: dict[str, Any], issued_at: datetime) -> None:
    choices.record(installation, _event_name(), data["id"], data["email"], data["choices"])


def customer_saved(installation: Installation, data: dict[str, Any], issued_at: datetime) -> None:
    with transaction.atomic():
        found = _locked(installation, data, issued_at)
        if found is None:
            return
        customer, created = found
        if not created:
            if customer.updated_at > issued_at:
                return  # an older event delivered late: the index is already newer
            customer.email, customer.updated_at = data["email"], issued_at
            customer.save(update_fields=["email", "email_digest", "updated_at"])
        # The storefront's account page: the boxes show the current choices (an older event,
        # returned above, never records its stale ones).
        choices.record(
            installation,
            _event_name(),
            data["id"],
            data["email"],
            data.get("choices"),
            account_page=True,
        )
    if "marketing" in data:
        try:
            marketing.sync(customer, current=data["marketing"])
        except SaleorUnavailable:
            raise  # the whole event is retried
        except SaleorError as error:  # a refusal would refuse again: keep the index current
            logger.warning("Saleor refused the marketing flags of a customer: %s", error)


def customer_deleted(installation: Installation, data: dict[str, Any], issued_at: datetime) -> None:
    # Recorded even if the customer was never indexed: a late CUSTOMER_CREATED must not index them.
    ErasedCustomer.objects.record(installation.pk, data["id"], issued_at)
    Customer.objects.filter(installation=installation, saleor_id=data["id"]).delete()
    CustomerEmail.objects.filter(installation=installation, saleor_id=data["id"]).delete()


def account_delete_requested(
    installation: Installation, data: dict[str, Any], issued_at: datetime
) -> None:
    with transaction.atomic():
        found = _locked(installation, data, issued_at)
        if found is not None:
            cases.open_deletion_case(found[0], data["email"])


def account_deleted(installation: Installation, data: dict[str, Any], issued_at: datetime) -> None:
    with transaction.atomic():
        found = _locked(installation, data, issued_at)
        if found is None:
            return
        case = cases.erase_deleted_account(found[0], data["email"])
        # The account is gone from Saleor: its row goes even if the erasure did not match it (the
        # index still had an older e-mail address), and it is recorded as erased.
        Customer.objects.filter(pk=found[0].pk).delete()
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
    "CHECKOUT_UPDATED": checkout_updated,
    "CHECKOUT_METADATA_UPDATED": checkout_updated,
    "ACCOUNT_DELETE_REQUESTED": account_delete_requested,
    "ACCOUNT_DELETED": account_deleted,
    "APP_DELETED": app_deleted,
}
