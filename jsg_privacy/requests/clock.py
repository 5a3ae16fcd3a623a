"""The Art. 12A clock of a request: paused while we wait for clarification we asked for.

The clock starts when the requester's identity is confirmed (:func:`cases.mark_verified`). Staff
may then ask the requester a question, with the reason it is needed (:func:`ask`): the clock
pauses and the requester is e-mailed the question with a one-time reply link. Their answer — by the
link, or recorded by staff when it came by phone or letter (:func:`resume`) — restarts the clock,
and every day it was paused is added to the due date and to any extension, in the audit trail. A
request with no answer after ``JSG_PRIVACY_CLARIFICATION_NO_REPLY_DAYS`` may be closed, with a
letter saying so (:func:`close_for_no_reply`).

Clarification is not routine (the ICO's guidance): each question needs its reason, and a finished
or overdue request cannot be paused.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from jsg_privacy.conf import app_settings
from jsg_privacy.requests import language
from jsg_privacy.requests.cases import CaseError, audit
from jsg_privacy.requests.models import Case, Clarification, Kind, Status

#: A request can be paused only while it is being handled (not before the clock starts, nor after).
PAUSABLE = (Status.OPEN, Status.IN_PROGRESS, Status.FAILED)
REPLY_SALT = "jsg_privacy.requests.clarify"
MAX_TOKEN_LENGTH = 1000
MAX_QUESTION = 2000
TEMPLATES = "jsg_privacy/requests/"


def _mail(case: Case, name: str, context: dict[str, Any]) -> None:
    context = {"case": case, **context}
    with language.speaking(case):
        send_mail(
            subject=render_to_string(f"{TEMPLATES}{name}_subject.txt", context).strip(),
            message=render_to_string(f"{TEMPLATES}{name}_body.txt", context),
            from_email=None,
            recipient_list=[case.email],
        )


def days_between(start: datetime, end: datetime) -> int:
    """Whole calendar days from ``start`` to ``end`` in the shop's time zone."""
    return max(0, (timezone.localdate(end) - timezone.localdate(start)).days)


def reply_token(question: Clarification) -> str:
    return signing.dumps({"q": question.pk, "n": question.link_nonce}, salt=REPLY_SALT)


def link_max_age() -> timedelta:
    """The reply link works until the request may be closed for no reply, and a week beyond."""
    return timedelta(days=app_settings.CLARIFICATION_NO_REPLY_DAYS + 7)


def ask(
    case: Case, question: str, *, reply_url: Any, actor: Any = None, now: datetime | None = None
) -> Clarification:
    """Pause the clock and e-mail the requester ``question``; ``reply_url(token)`` makes the
    link. Refused (:class:`CaseError`) for a request that is not being handled, already waits
    for an answer, or is overdue — and without a question."""
    now = now or timezone.now()
    question = question.strip()
    if not question:
        raise CaseError(_("Say what you need to know and why: the requester is e-mailed it."))
    if len(question) > MAX_QUESTION:
        raise CaseError(_("Keep the question under %(n)d characters.") % {"n": MAX_QUESTION})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if (
            case.status not in PAUSABLE
            or case.clock_started_at is None
            or case.kind == Kind.COMPLAINT
        ):
            raise CaseError(
                _("%(ref)s is %(status)s: no clarification can be asked.")
                % {"ref": case.reference, "status": case.get_status_display()}
            )
        if case.paused_since is not None:
            raise CaseError(_("%(ref)s already waits for an answer.") % {"ref": case.reference})
        if case.deadline < timezone.localdate(now):
            raise CaseError(
                _("%(ref)s is overdue: answer it; asking a question now cannot pause the clock.")
                % {"ref": case.reference}
            )
        asked = Clarification.objects.create(case=case, asked_at=now, question=question)
        case.paused_since = now
        case.save(update_fields=["paused_since"])
        # Names no content: the question is on the clarification, the trail says what happened.
        audit(case, "clock paused: clarification asked", actor=actor, detail=f"due {case.due_on}")
        _mail(case, "clarify", {"question": question, "link": reply_url(reply_token(asked))})
        audit(case, "requester e-mailed the question", actor=actor)
    return asked


def read_reply_token(token: str) -> tuple[Clarification | None, str]:
    """The open question a reply link is for; or why it cannot be used ("invalid", "expired",
    "used": answered already, or the request was closed)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None, "invalid"
    try:
        payload = signing.loads(token, salt=REPLY_SALT, max_age=link_max_age())
    except signing.SignatureExpired:
        return None, "expired"
    except (signing.BadSignature, ValueError, TypeError):
        return None, "invalid"
    if not isinstance(payload, dict) or not isinstance(payload.get("q"), int):
        return None, "invalid"
    found = Clarification.objects.select_related("case").filter(pk=payload["q"]).first()
    if (
        found is None
        or not found.link_nonce
        or found.link_nonce != payload.get("n")
        or found.answered_at is not None
        or found.case.paused_since is None
        or found.case.status not in PAUSABLE
    ):
        return None, "used"
    return found, ""


def resume(
    case: Case, answer: str, *, how: str, actor: Any = None, now: datetime | None = None
) -> int:
    """The requester answered: restart the clock, add the days paused to the due date (and to an
    extension), and return them. Refused when the case does not wait for an answer."""
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        question = case.clarifications.filter(answered_at__isnull=True).last()
        if case.paused_since is None or question is None or case.status not in PAUSABLE:
            raise CaseError(_("%(ref)s does not wait for an answer.") % {"ref": case.reference})
        days = days_between(case.paused_since, now)
        was = case.deadline
        question.answered_at = now
        question.answer = answer.strip()[:5000]
        question.answered_how = how[:200]
        question.days_paused = days
        question.link_nonce = ""
        question.save()
        case.due_on += timedelta(days=days)
        if case.extended_until is not None:
            case.extended_until += timedelta(days=days)
        case.paused_days += days
        case.paused_since = None
        case.save(update_fields=["due_on", "extended_until", "paused_days", "paused_since"])
        audit(
            case,
            "clock resumed: clarification answered",
            actor=actor,
            detail=f"{how}; paused {days} days; due {case.deadline} (was {was})",
        )
    return days


def may_close(case: Case, today: date | None = None) -> bool:
    """Whether the requester has had ``CLARIFICATION_NO_REPLY_DAYS`` to answer, without answering."""
    if case.paused_since is None:
        return False
    today = today or timezone.localdate()
    waited = (today - timezone.localdate(case.paused_since)).days
    return waited >= app_settings.CLARIFICATION_NO_REPLY_DAYS


def close_for_no_reply(case: Case, *, actor: Any = None, today: date | None = None) -> None:
    """Close a request whose question went unanswered, e-mailing the requester a letter that says
    so and how to ask again. Refused before the time allowed has passed."""
    today = today or timezone.localdate()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not may_close(case, today):
            raise CaseError(
                _("%(ref)s can be closed for no reply once %(days)d days have passed without one.")
                % {"ref": case.reference, "days": app_settings.CLARIFICATION_NO_REPLY_DAYS}
            )
        asked = case.paused_since
        case.clarifications.filter(answered_at__isnull=True).update(link_nonce="")
        case.status = Status.NO_REPLY
        case.completed_at = timezone.now()
        case.save(update_fields=["status", "completed_at"])
        _mail(case, "no_reply", {"asked": asked})
        audit(case, "closed: no reply to clarification", actor=actor, detail=f"asked {asked}")
        audit(case, "requester sent the closing letter", actor=actor)
