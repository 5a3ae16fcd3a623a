"""Saleor's account deletions as erasure cases of jsg_privacy.requests, and what they did.

ACCOUNT_DELETE_REQUESTED opens an erasure case (received by the ``saleor`` channel, awaiting the
customer's confirmation); ACCOUNT_DELETED confirms it — the customer used the one-time link Saleor
e-mailed them — and runs the erasure: the shop's own data and, through the Saleor sources, what the
store keeps after deleting an account. What was done in Saleor is recorded on the case. Saleor's
deletion token is never asked for, so it is never logged or stored.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jsg_privacy.integrations.saleor import erasure
from jsg_privacy.integrations.saleor.models import Customer
from jsg_privacy.requests import cases, service
from jsg_privacy.requests.models import OPEN_STATUSES, Case, Channel, Kind, Status


class ErasureFailed(Exception):
    """The erasure of a deleted Saleor account failed (recorded on its case); retry the event."""


def open_deletion_case(customer: Customer, email: str) -> Case:
    """The customer's open erasure case from Saleor, opened now if there is none."""
    case = customer.erasure_case
    if case is not None and case.status in OPEN_STATUSES:
        return case
    case = cases.open_case(
        kind=Kind.ERASURE,
        email=email,
        channel=Channel.SALEOR,
        details=_(
            "Asked the Saleor store to delete their account (Saleor user %(id)s). Saleor e-mails "
            "them a one-time link to confirm; the erasure runs when they do."
        )
        % {"id": customer.saleor_id},
    )
    customer.erasure_case = case
    customer.save(update_fields=["erasure_case"])
    return case


def erase_deleted_account(customer: Customer, email: str) -> Case:
    """Confirm the customer's erasure case and run it; record what Saleor's sources did."""
    with transaction.atomic():
        case = open_deletion_case(customer, email)
        if case.status == Status.UNVERIFIED:
            # The token Saleor e-mailed proves the address too: its records are the customer's.
            cases.mark_verified(
                case,
                _("confirmed through the one-time link Saleor e-mailed to the account"),
                address=True,
            )
    with erasure.collecting_notes() as notes:
        steps = service.run_erasure(case.pk)
    case.refresh_from_db()
    if steps is None:
        raise ErasureFailed(case.failure_reason)
    record(case, notes)
    return case


def record(case: Case, notes: list[str]) -> None:
    """Add what was done in Saleor to the case's outcome and audit trail."""
    text = " ".join(notes) or _("Nothing of this customer was left in Saleor.")
    with transaction.atomic():
        outcome: dict[str, Any] = dict(case.outcome or {})
        outcome["saleor"] = notes
        Case.objects.filter(pk=case.pk).update(outcome=outcome)
        cases.audit(case, "erased in Saleor", detail=text)
