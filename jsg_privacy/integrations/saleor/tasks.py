"""The Saleor App's background work, queued with :func:`jsg_privacy.tasks.enqueue`.

Inline or on Celery (``JSG_PRIVACY_TASK_RUNNER``), like jsg_privacy's own tasks; Celery workers find
this module through ``autodiscover_tasks()``. On Celery, Saleor has had its 200 by the time a task
runs, so a task that fails for a passing reason — Saleor, the database, Redis or the keys away — is
retried with a backoff (30 s doubling to 10 min, 20 times: 2 hours 45 minutes), and one
whose worker died is delivered again. Inline, a failed event fails the webhook request with a 500
and leaves no trace, so Saleor delivers it again; a failed write of marketing flags or of an
order's clearance is logged instead (the shop's request that caused it has nothing to do with
Saleor), and an order not cleared stays pending until the next event is handled.

An event travels through the broker (and the Redis inbox) **sealed**: its arguments as JSON,
encrypted with jsg_privacy's keys (:func:`seal`), so neither holds an e-mail address in clear.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar, cast

from cryptography.fernet import InvalidToken
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from jsg_privacy.conf import app_settings
from jsg_privacy.crypto import keys
from jsg_privacy.integrations.saleor.cases import ErasureFailed
from jsg_privacy.integrations.saleor.client import SaleorError, SaleorUnavailable
from jsg_privacy.tasks import enqueue

shared_task: Callable[..., Any] | None  # Celery's, or None without the celery extra
try:
    from celery import shared_task
except ImportError:  # the celery extra is not installed: tasks run inline
    shared_task = None

logger = logging.getLogger("jsg_privacy.integrations.saleor")


F = TypeVar("F", bound=Callable[..., Any])


def _task(func: F) -> F:
    """``func`` as a Celery task (called like ``func``), or as it is without Celery."""
    from jsg_privacy.integrations.saleor.inbox import InboxUnavailable

    if shared_task is None:
        return func
    task = shared_task(
        name=f"jsg_privacy.saleor.{func.__name__}",
        acks_late=True,
        reject_on_worker_lost=True,  # a worker killed mid-task: delivered again (tasks are idempotent)
        autoretry_for=(
            SaleorUnavailable,
            ErasureFailed,
            InboxUnavailable,
            OperationalError,  # the database away
            InterfaceError,
            InvalidToken,  # a worker without the key the event was sealed with (yet)
        ),
        retry_backoff=30,
        retry_backoff_max=600,
        retry_jitter=False,  # 30 s, 60 s … 10 min: 20 tries cover 2 h 45 min of an outage
        max_retries=20,
    )(func)
    return cast(F, task)


def seal(*work: Any) -> str:
    """``process_event``'s arguments as one token only jsg_privacy's keys can read."""
    return keys.encrypt(json.dumps(work))


def unseal(token: str) -> list[Any]:
    """The arguments sealed in ``token``. Raises ``InvalidToken`` when no configured key can read
    it, ``ValueError`` when it does not hold ``process_event``'s five arguments."""
    work = json.loads(keys.decrypt(token))
    if not (isinstance(work, list) and len(work) == 5 and isinstance(work[0], int)):
        raise ValueError("not the arguments of process_event")
    return work


@_task
def process_sealed_event(token: str) -> bool:
    """:func:`process_event` for an event :func:`seal` sealed: what the broker carries."""
    return process_event(*unseal(token))


@_task
def process_event(
    installation_id: int, digest: str, name: str, data: dict[str, Any], issued_at: str
) -> bool:
    """Handle one verified delivery unless its digest shows it was handled already.

    The digest and the handler's local changes commit together: a failure (or a worker lost
    mid-way) leaves no digest behind, so Saleor's retry or Celery's redelivery is handled. Calls to
    Saleor cannot be rolled back; they are idempotent instead. Returns whether it was handled.
    """
    from jsg_privacy.integrations.saleor import handlers
    from jsg_privacy.integrations.saleor.conf import saleor_settings
    from jsg_privacy.integrations.saleor.models import Delivery, Installation

    if not Installation.objects.filter(pk=installation_id, removed_at__isnull=True).exists():
        logger.info("Dropped %s: its installation was removed.", name)
        return False
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    Delivery.objects.create(
                        installation_id=installation_id, digest=digest, event=name
                    )
            except IntegrityError:
                return False  # Saleor's retry of a delivery already handled
            handlers.handle(installation_id, name, data, issued_at)
    except Exception:
        logger.exception("Saleor event %s failed; its next delivery will be handled.", name)
        raise
    # What no late delivery can need any more: digests past the replay window, erasure records
    # past twice that (handlers.purge_erased).
    cutoff = timezone.now() - timedelta(hours=saleor_settings.DEDUPLICATE_HOURS)
    Delivery.objects.filter(received_at__lt=cutoff).delete()
    handlers.purge_erased()
    retry_clearances()
    return True


@_task
def drain_inbox() -> int:
    """Queue the events waiting in the Redis inbox (``JSG_PRIVACY_SALEOR_INBOX_URL``); how many."""
    from jsg_privacy.integrations.saleor import inbox
    from jsg_privacy.integrations.saleor.conf import saleor_settings

    if not saleor_settings.INBOX_URL:
        return 0
    return inbox.drain()


def _later(error: Exception, what: str) -> None:
    """On Celery, raise (the task is retried); inline, log: the caller is not Saleor's request."""
    if app_settings.TASK_RUNNER == "celery":
        raise error
    logger.warning("%s failed (%s); it is tried again later.", what, error)


@_task
def sync_marketing(customer_id: int) -> None:
    """Write one indexed customer's marketing flags to Saleor (inline: again with the next change)."""
    from jsg_privacy.integrations.saleor import marketing
    from jsg_privacy.integrations.saleor.models import Customer

    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        return
    try:
        marketing.sync(customer)
    except SaleorError as error:
        _later(error, "Writing marketing flags to Saleor")


@_task
def clear_order(clearance_id: int) -> None:
    """At the end of an order's legal hold, clear what Saleor kept of it (but the country)."""
    from jsg_privacy.integrations.saleor import erasure, queries
    from jsg_privacy.integrations.saleor.client import Client
    from jsg_privacy.integrations.saleor.models import OrderClearance

    clearance = (
        OrderClearance.objects.select_related("installation").filter(pk=clearance_id).first()
    )
    if clearance is None:
        return
    installation = clearance.installation
    if installation.removed_at is None and installation.token:
        client = Client(installation.api_url, installation.token)
        try:
            order = client.execute(queries.ORDER, {"id": clearance.saleor_id}).get("order")
            if order:
                erasure.pseudonymise_order(client, order, keep=())
        except SaleorError as error:
            return _later(error, "Clearing an order in Saleor")
    clearance.delete()


def retry_clearances(limit: int = 20) -> None:
    """Queue the clearances a store was away for (called after each handled event)."""
    from jsg_privacy.integrations.saleor.models import OrderClearance

    for clearance_id in OrderClearance.objects.values_list("pk", flat=True)[:limit]:
        enqueue(clear_order, clearance_id)
