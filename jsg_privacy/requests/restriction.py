"""Restriction requests (UK GDPR Art. 18) through a request's case.

The restriction itself, and the question every feature asks before using someone's data
(:func:`~jsg_privacy.flows.restrict.is_restricted`), live in :mod:`jsg_privacy.flows.restrict`;
this module starts and lifts restrictions for a case, with the audit trail. A restriction is lifted
only after the subject has been told it will be (Art. 18(3)): :func:`notify_before_lifting`, then
:func:`lift`.

Starting and lifting one tells every recipient that received the subject's data (Art. 19), through
its notifier (the Saleor App re-writes the customer's marketing flags), recorded on the request
and the restriction (:mod:`jsg_privacy.requests.recipients`); a restriction request is completed
once they all have been told. Observers get :data:`~jsg_privacy.signals.processing_restricted` and
:data:`~jsg_privacy.signals.restriction_lifted`.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jsg_privacy.flows import restrict as flow
from jsg_privacy.flows.models import Restriction
from jsg_privacy.flows.restrict import is_restricted
from jsg_privacy.notifiers import Event
from jsg_privacy.registry import Subject
from jsg_privacy.requests import language, recipients
from jsg_privacy.requests.cases import CaseError, audit
from jsg_privacy.requests.models import Case, Kind, Status
from jsg_privacy.signals import processing_restricted, restriction_lifted

# is_restricted: importable from here, as before (it lives in jsg_privacy.flows.restrict).
__all__ = ["ACTIVE_CASE_STATUSES", "is_restricted", "lift", "notify_before_lifting", "restrict"]

ACTIVE_CASE_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.FAILED)


def restrict(
    subject: Subject, reason: str, *, case: Case | None = None, actor: Any = None
) -> Restriction:
    """Restrict processing of ``subject``'s data from now on; audited on ``case``.

    A restriction request's case is completed by it (the restriction stands until lifted).
    """
    if case is not None and case.status not in ACTIVE_CASE_STATUSES:
        raise CaseError(
            _("%(ref)s is %(status)s: restrict through a verified, open request.")
            % {"ref": case.reference, "status": case.get_status_display()}
        )
    with transaction.atomic():
        restriction = flow.start(subject, reason, case=case)
        if case is not None:
            audit(
                case, "processing restricted", actor=actor, detail=f"restriction #{restriction.pk}"
            )
        notices = recipients.plan(subject, Event.RESTRICTED, case=case, restriction=restriction)
        if case is not None and case.kind == Kind.RESTRICTION:
            recipients.settle(case, {"restriction": restriction.pk}, actor=actor)
        transaction.on_commit(
            lambda: processing_restricted.send_robust(
                sender=Restriction, restriction=restriction, subject=subject, case=case
            )
        )
        recipients.send_later(notices)
    return restriction


def notify_before_lifting(restriction: Restriction, *, email: str = "", actor: Any = None) -> None:
    """Tell the subject the restriction will be lifted (Art. 18(3)); required before :func:`lift`.

    The e-mail goes to ``email`` (which must match the restriction's address), else to the
    request's address, else to the account's.
    """
    if not restriction.active:
        raise CaseError(_("This restriction has already been lifted."))
    address = flow.address_for(restriction, email)
    if not address:
        raise CaseError(_("There is no address to tell the subject at: give one."))
    reference = restriction.case.reference if restriction.case else ""
    with language.speaking(restriction.case) if restriction.case else nullcontext():
        _tell_lifting(address, reference)
    restriction.lift_notified_at = timezone.now()
    restriction.save(update_fields=["lift_notified_at"])
    if restriction.case is not None:
        audit(restriction.case, "requester told the restriction will be lifted", actor=actor)


def _tell_lifting(address: str, reference: str) -> None:
    send_mail(
        subject=_("The restriction on the use of your data will be lifted"),
        message=_(
            "You asked us to restrict the use of your personal data%(ref)s. We are going to lift "
            "that restriction; after that we may use your data again as our privacy notice "
            "describes.\n\nIf you disagree, reply to this e-mail. You may also complain to the "
            "Information Commissioner's Office: https://ico.org.uk/make-a-complaint/\n"
        )
        % {"ref": f" ({reference})" if reference else ""},
        from_email=None,
        recipient_list=[address],
    )


def lift(restriction: Restriction, *, reason: str, actor: Any = None) -> None:
    """Lift the restriction; refused until the subject has been told (:func:`notify_before_lifting`)."""
    with transaction.atomic():
        current = flow.end(restriction, reason)
        if current.case is not None:
            audit(
                current.case, "restriction lifted", actor=actor, detail=f"restriction #{current.pk}"
            )
        subject = flow.subject_of_restriction(current)
        notices = (
            recipients.plan(subject, Event.LIFTED, case=current.case, restriction=current)
            if subject is not None
            else []
        )
        transaction.on_commit(
            lambda: restriction_lifted.send_robust(
                sender=Restriction, restriction=current, subject=subject, case=current.case
            )
        )
        recipients.send_later(notices)
    restriction.lifted_at, restriction.lift_reason = current.lifted_at, current.lift_reason
