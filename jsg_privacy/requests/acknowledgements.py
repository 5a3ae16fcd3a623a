"""The requester's two letters about a request: "we have it" and "it is done".

A request is acknowledged when its Art. 12A clock starts (identity confirmed), with its reference
and its due date — the case's deadline, so an extension or days paused for clarification show.
It is told when it is completed: erased, corrected, restricted, or marketing stopped. An export's
completion is the download-link e-mail (:mod:`jsg_privacy.requests.downloads`), an objection's
decision the decision letter (:mod:`jsg_privacy.requests.objection`), a complaint has its own
letters (:mod:`jsg_privacy.requests.complaints`).

Both are sent after the transaction that records the step has committed. A mail server that
refuses leaves the case as it is, open and handled as usual: the failure is on the case's audit
trail ("acknowledgement could not be sent"), where staff see it. No personal data is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from jsg_privacy.requests import language
from jsg_privacy.requests.models import Case, CaseEvent, Kind

logger = logging.getLogger("jsg_privacy.requests")
TEMPLATES = "jsg_privacy/requests/"
#: Kinds whose completion this module tells the requester of (the others have their own letter).
TOLD_ON_COMPLETION = (Kind.ERASURE, Kind.RECTIFICATION, Kind.RESTRICTION, Kind.OBJECTION)
RECEIVED = "acknowledgement sent"
RECEIVED_FAILED = "acknowledgement could not be sent"
COMPLETED = "requester told of completion"
COMPLETED_FAILED = "completion notice could not be sent"


def _letter(case: Case, name: str, sent: str, failed: str) -> bool:
    context = {"case": case, "deadline": case.deadline}
    try:
        with language.speaking(case):
            subject = render_to_string(f"{TEMPLATES}{name}_subject.txt", context)
            body = render_to_string(f"{TEMPLATES}{name}_body.txt", context)
        send_mail(
            subject=" ".join(subject.split()),
            message=body,
            from_email=None,
            recipient_list=[case.email],
        )
    except Exception as exc:  # the mail server (OSError, smtplib's errors): the case stays open
        reason = type(exc).__name__
        logger.warning(
            "Could not e-mail the %s letter of case %s: %s", name, case.reference, reason
        )
        CaseEvent.objects.create(case=case, action=failed, detail=reason)
        return False
    CaseEvent.objects.create(case=case, action=sent)
    return True


def acknowledge(case: Case) -> bool:
    """E-mail the requester the request's reference and due date; False if it could not be sent."""
    if case.kind == Kind.COMPLAINT or not case.email:
        return False
    return _letter(case, "received", RECEIVED, RECEIVED_FAILED)


def tells_completion(case: Case) -> bool:
    """Whether this module tells the requester the request is complete (see the module's text)."""
    if case.kind not in TOLD_ON_COMPLETION or not case.email:
        return False
    # An objection decided by staff is told by the decision letter; one to direct marketing here.
    return not (case.kind == Kind.OBJECTION and "objections" in (case.outcome or {}))


def notify_completed(case: Case) -> bool:
    """E-mail the requester that the request is done; False if not this module's or not sent."""
    if not tells_completion(case):
        return False
    return _letter(case, "completed", COMPLETED, COMPLETED_FAILED)


def after_commit(send: Callable[[Case], bool], case: Case) -> None:
    """``send(case)`` once the current transaction commits (at once outside one)."""
    pk = case.pk

    def run() -> None:
        current = Case.objects.filter(pk=pk).first()
        if current is not None:
            send(current)

    transaction.on_commit(run)
