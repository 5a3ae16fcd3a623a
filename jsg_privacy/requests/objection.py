"""Objection requests (UK GDPR Art. 21) through a request's case.

To direct marketing, an objection is absolute and takes effect at once (Art. 21(2)-(3)):
:func:`object_to_marketing` stops it (:func:`jsg_privacy.flows.object.stop_marketing`) and
completes the case, even before identity is checked. To any other processing (on legitimate
interests or a public task, Art. 21(1)) it is recorded with :func:`record` and waits for staff to
:func:`decide`, with the reason, whether compelling legitimate grounds override it.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jsg_privacy.consent.models import Channel as LedgerChannel
from jsg_privacy.flows import object as flow
from jsg_privacy.flows.models import Objection
from jsg_privacy.flows.object import MARKETING_PURPOSES
from jsg_privacy.marketing import wording
from jsg_privacy.registry import Subject, registry
from jsg_privacy.requests import language, recipients, restriction
from jsg_privacy.requests.cases import CaseError, audit, complete, subject_of
from jsg_privacy.requests.models import Case, Kind, Status

DECIDABLE = (Status.OPEN, Status.IN_PROGRESS, Status.FAILED)


def object_to_marketing(
    subject: Subject,
    *,
    case: Case | None = None,
    actor: Any = None,
    channel: str = LedgerChannel.STAFF,
) -> bool:
    """Stop all direct marketing to ``subject`` now, on every medium and by partners.

    Every withdrawal goes to the consent ledger (with ``channel``) and the address onto the
    suppression list, which survives erasure. A marketing objection's ``case`` is completed, even
    before identity is checked. True if anything changed (a second objection changes nothing).
    """
    with transaction.atomic():
        changed = flow.stop_marketing(subject, channel=channel)
        if case is not None:
            audit(
                case,
                "objection to direct marketing: stopped at once",
                actor=actor,
                detail="suppressed: "
                + ", ".join(wording.media())
                + "; partner marketing withdrawn",
            )
            if case.kind == Kind.OBJECTION and case.status not in (
                Status.COMPLETED,
                Status.REFUSED,
            ):
                complete(
                    case,
                    {"objection": "direct marketing", "suppressed": list(wording.media())},
                    actor=actor,
                )
    return changed


def record(
    case: Case,
    purpose: str,
    reason: str = "",
    *,
    actor: Any = None,
    restrict_meanwhile: bool = False,
) -> Objection:
    """Record an objection to ``purpose`` with the subject's grounds; the case stays open.

    With ``restrict_meanwhile`` processing is restricted until the decision (Art. 18(1)(d)).
    An objection to direct marketing is not recorded for a decision: use :func:`object_to_marketing`.
    """
    if case.kind != Kind.OBJECTION:
        raise CaseError(_("%(ref)s is not an objection.") % {"ref": case.reference})
    if purpose in MARKETING_PURPOSES:
        raise CaseError(
            _("An objection to direct marketing takes effect at once: nothing to decide.")
        )
    if purpose not in registry.purposes:
        raise CaseError(_("Unknown purpose."))
    with transaction.atomic():
        objection = Objection.objects.create(case=case, purpose=purpose, grounds=reason.strip())
        audit(case, "objection recorded", actor=actor, detail=f"purpose: {purpose}")
        if restrict_meanwhile:
            restriction.restrict(
                subject_of(case),
                _("Objection to %(purpose)s awaiting a decision (Art. 18(1)(d))")
                % {"purpose": purpose},
                case=case,
                actor=actor,
            )
    return objection


def decide(case: Case, upheld: bool, reason: str, actor: Any = None) -> list[Objection]:
    """Decide the case's pending objections, with the reason, and tell the requester.

    Upheld: the case is completed and processing for the purpose must stop. Not upheld: the case
    is refused; the reason and the right to complain are e-mailed (Art. 12(4)). A restriction made
    meanwhile stays until lifted after notice (:mod:`jsg_privacy.requests.restriction`).
    """
    if not reason.strip():
        raise CaseError(_("Give the reason for the decision: the requester is told it."))
    if case.status not in DECIDABLE:
        raise CaseError(
            _("%(ref)s is %(status)s: nothing to decide.")
            % {"ref": case.reference, "status": case.get_status_display()}
        )
    now = timezone.now()
    with transaction.atomic():
        pending = list(case.objections.select_for_update().filter(decided_at__isnull=True))
        if not pending:
            raise CaseError(_("No objection on this request is waiting for a decision."))
        for objection in pending:
            objection.upheld = upheld
            objection.decision_reason = reason.strip()
            objection.decided_at = now
            objection.save(update_fields=["upheld", "decision_reason", "decided_at"])
            audit(
                case,
                "objection upheld" if upheld else "objection not upheld",
                actor=actor,
                detail=f"purpose: {objection.purpose}",
            )
        outcome = {"objections": [o.purpose for o in pending], "upheld": upheld}
        if upheld:  # completed once recipients told of a restriction made meanwhile are
            recipients.settle(case, outcome, actor=actor)
        else:
            case.status = Status.REFUSED
            case.completed_at = now
            case.outcome = outcome
            case.save(update_fields=["status", "completed_at", "outcome"])
            audit(case, "refused", actor=actor)
        _tell(case, pending, upheld, reason.strip())
        audit(case, "requester told of the decision", actor=actor)
    return pending


def _tell(case: Case, objections: list[Objection], upheld: bool, reason: str) -> None:
    with language.speaking(case):
        _write(case, objections, upheld, reason)


def _write(case: Case, objections: list[Objection], upheld: bool, reason: str) -> None:
    purposes = ", ".join(
        str(getattr(registry.purposes.get(o.purpose), "label", o.purpose)) for o in objections
    )
    decision = (
        _("We have stopped using your data for: %(purposes)s.")
        if upheld
        else _("We will continue to use your data for: %(purposes)s.")
    ) % {"purposes": purposes}
    send_mail(
        subject=_("Your objection %(ref)s: our decision") % {"ref": case.reference},
        message=f"{decision}\n\n{_('Why:')} {reason}\n\n"
        + _(
            "You may complain to the Information Commissioner's Office if you are unhappy with "
            "this: https://ico.org.uk/make-a-complaint/"
        )
        + "\n",
        from_email=None,
        recipient_list=[case.email],
    )
