"""The life of a case: opened, verified, extended, completed or failed — each step audited."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from jsg_privacy.flows import Refused
from jsg_privacy.registry import Period, Subject
from jsg_privacy.requests import acknowledgements, identity, language
from jsg_privacy.requests.models import Case, CaseEvent, Channel, Kind, Status

ONE_MONTH = Period(months=1)
MAX_EXTENSION_MONTHS = 2
VERIFY_SALT = "jsg_privacy.requests.verify"
VERIFY_MAX_AGE = timedelta(hours=24)


#: A step that is not allowed now; the message is safe to show to staff or the requester. The flows
#: a case runs (restrict, rectify, object) raise the same class.
CaseError = Refused


def due_date(received: date) -> date:
    """One calendar month after the clock starts (Art. 12(3)); the month's last day when the date
    is missing. Days the clock is paused are added later (:mod:`jsg_privacy.requests.clock`)."""
    return ONE_MONTH.after(received)


def audit(case: Case, action: str, *, actor: Any = None, detail: str = "") -> CaseEvent:
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return CaseEvent.objects.create(case=case, action=action, actor=actor, detail=detail)


def open_case(
    *,
    kind: str,
    email: str,
    channel: str,
    user: Any = None,
    details: str = "",
    identity_check: str = "",
    address_check: str = "",
    actor: Any = None,
) -> Case:
    """Record a request. It is verified at once when identity was already checked (log-in, staff).

    ``address_check`` says how the requester proved they receive mail at ``email`` (staff who
    replied to the address, Saleor's e-mailed token); without it, records found only by the
    address are left out until the address is proven (:func:`subject_of`).
    """
    if kind not in Kind.values or channel not in Channel.values:
        raise CaseError(_("Unknown kind of request or channel."))
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            reference=f"pending-{secrets.token_hex(6)}",
            kind=kind,
            channel=channel,
            user=user if getattr(user, "is_authenticated", False) else None,
            email=email.strip(),
            details=details,
            received_at=now,
            due_on=due_date(timezone.localdate(now)),
            language=language.of_request(channel),
        )
        case.reference = f"DSR-{now:%Y}-{case.pk:06d}"
        case.save(update_fields=["reference"])
        audit(case, "received", actor=actor, detail=f"{kind} by {channel}")
        if identity_check:
            mark_verified(case, identity_check, actor=actor)
        if address_check:
            confirm_address(case, address_check, actor=actor)
    return case


def mark_verified(case: Case, how: str, *, actor: Any = None, address: bool = False) -> None:
    """Identity confirmed ``how``; with ``address``, that also proved the case's address.

    The Art. 12(3) clock starts now (Art. 12A): the request is due one month from today.
    """
    now = timezone.now()
    case.status = Status.OPEN
    case.verified_at = now
    case.identity_check = how
    case.verification_nonce = ""
    fields = ["status", "verified_at", "identity_check", "verification_nonce"]
    if case.clock_started_at is None:
        case.clock_started_at = now
        case.due_on = due_date(timezone.localdate(now))
        fields += ["clock_started_at", "due_on"]
    case.save(update_fields=fields)
    audit(case, "identity confirmed", actor=actor, detail=how)
    if "clock_started_at" in fields:
        audit(case, "clock started", actor=actor, detail=f"due {case.due_on}")
        acknowledgements.after_commit(acknowledgements.acknowledge, case)
    if address:
        confirm_address(case, how, actor=actor)


def confirm_address(case: Case, how: str, *, actor: Any = None) -> None:
    """Record that the requester proved they receive mail at the case's address, and how."""
    case.email_confirmed_at = timezone.now()
    case.save(update_fields=["email_confirmed_at"])
    audit(case, "address confirmed", actor=actor, detail=how)


def verification_token(case: Case) -> str:
    """A signed, one-time token for the e-mailed identity link."""
    case.verification_nonce = secrets.token_hex(16)
    case.save(update_fields=["verification_nonce"])
    return signing.dumps({"c": case.pk, "n": case.verification_nonce}, salt=VERIFY_SALT)


def send_verification(case: Case, link: str) -> None:
    context = {"case": case, "link": link, "hours": int(VERIFY_MAX_AGE.total_seconds() // 3600)}
    send_mail(
        subject=render_to_string("jsg_privacy/requests/verify_subject.txt", context).strip(),
        message=render_to_string("jsg_privacy/requests/verify_body.txt", context),
        from_email=None,
        recipient_list=[case.email],
    )
    audit(case, "identity link sent")


MAX_TOKEN_LENGTH = 1000
LINK_PROBLEMS = {
    "invalid": _("This link is not valid."),
    "expired": _("This link has expired. Please make your request again."),
    "used": _("This link has already been used or is no longer valid."),
}


def read_link(token: str) -> tuple[Case | None, str]:
    """The case an identity link is for, without using it up; or why it cannot be used
    ("invalid", "expired" or "used")."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None, "invalid"
    try:
        payload = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        return None, "expired"
    except (signing.BadSignature, ValueError, TypeError):
        return None, "invalid"
    if not isinstance(payload, dict) or not isinstance(payload.get("c"), int):
        return None, "invalid"
    case = Case.objects.filter(pk=payload["c"]).first()
    if case is None or not case.verification_nonce or case.verification_nonce != payload.get("n"):
        return None, "used"
    return case, ""


def verify(token: str) -> Case:
    """Confirm identity from a link: signed, not expired, and not used before."""
    found, problem = read_link(token)
    if found is None:
        raise CaseError(str(LINK_PROBLEMS[problem]))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=found.pk)
        if case.verification_nonce != found.verification_nonce:  # used meanwhile
            raise CaseError(str(LINK_PROBLEMS["used"]))
        how = _("signed link e-mailed to the requester's address")
        if case.verified_at is None:
            mark_verified(case, how, address=True)
        else:  # identity was checked another way (staff, an account): this proves the address
            case.verification_nonce = ""
            case.save(update_fields=["verification_nonce"])
            confirm_address(case, how)
    return case


def extend(
    case: Case, *, months: int, reason: str, actor: Any = None, today: date | None = None
) -> None:
    """Extend by up to two months, with a reason, telling the subject before the first due date."""
    today = today or timezone.localdate()
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise CaseError(_("An extension is one or two months."))
    if not reason.strip():
        raise CaseError(_("Give the reason for the extension: the requester is told it."))
    if case.clock_started_at is None:
        raise CaseError(
            _("The clock has not started: extend once the requester's identity is confirmed.")
        )
    if today > case.due_on:
        raise CaseError(_("Too late: the requester must be told before the first due date."))
    case.extended_until = Period(months=months).after(case.due_on)
    case.extension_reason = reason.strip()
    case.save(update_fields=["extended_until", "extension_reason"])
    context = {"case": case}
    with language.speaking(case):
        send_mail(
            subject=render_to_string("jsg_privacy/requests/extended_subject.txt", context).strip(),
            message=render_to_string("jsg_privacy/requests/extended_body.txt", context),
            from_email=None,
            recipient_list=[case.email],
        )
    audit(case, "extended", actor=actor, detail=f"until {case.extended_until}")
    audit(case, "requester told of the extension", actor=actor)


def complete(case: Case, outcome: dict[str, Any], *, actor: Any = None) -> None:
    case.status = Status.COMPLETED
    case.completed_at = timezone.now()
    case.outcome = outcome
    case.failure_reason = ""
    case.save(update_fields=["status", "completed_at", "outcome", "failure_reason"])
    audit(case, "completed", actor=actor)
    if acknowledgements.tells_completion(case):
        acknowledgements.after_commit(acknowledgements.notify_completed, case)


def fail(case: Case, reason: str, *, actor: Any = None) -> None:
    case.status = Status.FAILED
    case.failure_reason = reason
    case.save(update_fields=["status", "failure_reason"])
    audit(case, "failed", actor=actor, detail=reason)


def address_proven(case: Case) -> bool:
    """Whether records found only by the case's address may be released or changed for it: the
    request was confirmed through the address, or the account's address is proven."""
    if not case.email:
        return False
    if case.email_confirmed_at is not None:
        return True
    return case.user_id is not None and identity.address_proven(case.user_id, case.email)


def address_withheld(case: Case) -> bool:
    """Whether the case names an address that is left out of its subject, not being proven."""
    return bool(case.email) and not address_proven(case)


def record_search(case: Case, search_record: dict[str, Any], *, actor: Any = None) -> None:
    """Keep on the case what an export of it searched (Art. 15(1A)), beside its outcome."""
    case.outcome = {**(case.outcome or {}), "search_record": search_record}
    case.save(update_fields=["outcome"])
    searched = len(search_record.get("searched", []))
    audit(case, "search recorded", actor=actor, detail=f"{searched} sources searched")


def subject_of(case: Case) -> Subject:
    """Whose records this case may export, erase, correct or restrict.

    The account always; the address only once proven (:func:`address_proven`): anyone can sign up
    with someone else's address, so the address alone identifies nobody. Raises
    :class:`CaseError` for a case without an account whose address is not proven yet.
    """
    email = case.email if address_proven(case) else ""
    if case.user_id is None and not email:
        raise CaseError(
            _(
                "%(ref)s: the requester has not proven they receive mail at the address yet, so "
                "no records can be found for them. Send them a confirmation link from the case."
            )
            % {"ref": case.reference}
        )
    return Subject(user_id=case.user_id, email=email)


def stated_subject(case: Case) -> Subject:
    """The account and the address as the requester gave them, proven or not: only for steps
    that stop processing and release nothing (an objection to direct marketing, Art. 21(3))."""
    return Subject(user_id=case.user_id, email=case.email)
