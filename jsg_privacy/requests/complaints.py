"""Data-protection complaints (DPA 2018 s.164A): received, acknowledged, kept informed, answered.

A complaint is a :class:`~jsg_privacy.requests.models.Case` of kind ``complaint``: the same
references, audit trail and overdue list as a request. Its clock starts at receipt (no identity
check: anyone may complain). Its deadline is first the acknowledgement, due 30 days after receipt;
once acknowledged, the outcome, which the shop aims to give within
``JSG_PRIVACY_COMPLAINT_OUTCOME_DAYS``. Every letter — acknowledgement, progress updates, the
outcome — is e-mailed and kept as it was sent (:class:`~jsg_privacy.requests.models.Letter`); the
outcome letter always ends with the route to the ICO.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from jsg_privacy.conf import app_settings
from jsg_privacy.requests.cases import CaseError, audit
from jsg_privacy.requests.models import Case, Channel, Kind, Letter, LetterKind, Status

logger = logging.getLogger("jsg_privacy.requests")
ACKNOWLEDGE_WITHIN = timedelta(days=30)
TEMPLATES = "jsg_privacy/complaints/"
CHANNELS = (Channel.WEB_FORM, Channel.ACCOUNT, Channel.PHONE, Channel.LETTER, Channel.EMAIL)
MAX_TEXT = 10000


def acknowledgement_text(case: Case) -> str:
    """The default acknowledgement (``jsg_privacy/complaints/acknowledgement_body.txt``)."""
    return render_to_string(TEMPLATES + "acknowledgement_body.txt", _context(case)).strip()


def _context(case: Case) -> dict[str, Any]:
    return {
        "case": case,
        "controller": app_settings.CONTROLLER,
        "authority": app_settings.SUPERVISORY_AUTHORITY,
        "outcome_days": app_settings.COMPLAINT_OUTCOME_DAYS,
    }


def receive(
    *,
    email: str,
    details: str,
    channel: str,
    user: Any = None,
    actor: Any = None,
    acknowledgement: str | None = None,
) -> Case:
    """Record a complaint and acknowledge it at once (``acknowledgement``: the text staff edited;
    else the default). If the e-mail cannot be sent, the complaint is kept, unacknowledged
    (``acknowledged_at`` is None), due for acknowledgement 30 days after receipt: staff send it
    from the complaint's page."""
    if channel not in CHANNELS:
        raise CaseError(_("Unknown channel."))
    if not details.strip() or not email.strip():
        raise CaseError(_("A complaint needs what it is about and an address to answer."))
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            reference=f"pending-{secrets.token_hex(6)}",
            kind=Kind.COMPLAINT,
            status=Status.OPEN,
            channel=channel,
            user=user if getattr(user, "is_authenticated", False) else None,
            email=email.strip(),
            details=details.strip()[:MAX_TEXT],
            received_at=now,
            clock_started_at=now,
            due_on=timezone.localdate(now) + ACKNOWLEDGE_WITHIN,
        )
        case.reference = f"CMP-{now:%Y}-{case.pk:06d}"
        case.save(update_fields=["reference"])
        audit(case, "complaint received", actor=actor, detail=f"by {channel}")
    try:
        acknowledge(case, acknowledgement, actor=actor)
    except OSError:  # the mail server; the complaint is kept, and listed as unacknowledged
        logger.exception("Could not send the acknowledgement of complaint %s", case.reference)
        audit(case, "acknowledgement could not be sent", actor=actor)
    return case


def _send(case: Case, kind: str, subject: str, body: str, actor: Any) -> Letter:
    """E-mail a letter and keep it; nothing is kept when the mail server refuses (OSError)."""
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[case.email])
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return Letter.objects.create(case=case, kind=kind, subject=subject, body=body, sent_by=actor)


def _subject(case: Case, kind: str) -> str:
    return render_to_string(TEMPLATES + f"{kind}_subject.txt", _context(case)).strip()


def acknowledge(case: Case, text: str | None = None, *, actor: Any = None) -> Letter:
    """Send the acknowledgement; the deadline becomes the outcome's."""
    if case.kind != Kind.COMPLAINT or case.acknowledged_at is not None:
        raise CaseError(_("%(ref)s needs no acknowledgement.") % {"ref": case.reference})
    body = (text or "").strip() or acknowledgement_text(case)
    letter = _send(case, LetterKind.ACKNOWLEDGEMENT, _subject(case, "acknowledgement"), body, actor)
    case.acknowledged_at = letter.sent_at
    case.due_on = timezone.localdate(case.received_at) + timedelta(
        days=app_settings.COMPLAINT_OUTCOME_DAYS
    )
    case.save(update_fields=["acknowledged_at", "due_on"])
    audit(case, "acknowledgement sent", actor=actor, detail=f"outcome due {case.due_on}")
    return letter


def _open(case: Case) -> None:
    if case.kind != Kind.COMPLAINT:
        raise CaseError(_("%(ref)s is not a complaint.") % {"ref": case.reference})
    if case.status != Status.OPEN:
        raise CaseError(
            _("%(ref)s is %(status)s: nothing more can be sent.")
            % {"ref": case.reference, "status": case.get_status_display()}
        )


def _text(text: str) -> str:
    text = text.strip()
    if not text:
        raise CaseError(_("Write the text the complainant is sent."))
    return text[:MAX_TEXT]


def update(case: Case, text: str, *, actor: Any = None) -> Letter:
    """Tell the complainant how the investigation is going."""
    _open(case)
    letter = _send(case, LetterKind.UPDATE, _subject(case, "update"), _text(text), actor)
    audit(case, "progress update sent", actor=actor)
    return letter


def outcome(case: Case, text: str, *, actor: Any = None) -> Letter:
    """Tell the complainant the outcome, always with their right to go to the ICO; closes it."""
    _open(case)
    context = {**_context(case), "text": _text(text)}
    body = render_to_string(TEMPLATES + "outcome_body.txt", context).strip()
    letter = _send(case, LetterKind.OUTCOME, _subject(case, "outcome"), body, actor)
    case.status = Status.COMPLETED
    case.completed_at = letter.sent_at
    case.outcome = {"outcome letter": letter.sent_at.isoformat()}
    case.save(update_fields=["status", "completed_at", "outcome"])
    audit(case, "outcome sent, with the ICO route", actor=actor)
    return letter
