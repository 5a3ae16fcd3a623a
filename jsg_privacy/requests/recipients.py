"""Art. 19: every recipient that received a subject's data is told of its erasure, correction or
restriction, and the request records it.

Three steps, so that nothing is lost and nothing is told that did not happen:

1. :func:`plan`, in the transaction of the change and before it (an erasure removes what finds
   the recipients): a pending :class:`~jsg_privacy.requests.notices.RecipientNotice` per recipient
   that received the subject's data (:class:`~jsg_privacy.notifiers.Footprint`) and whose notifier
   tells of the event, with what the notifier collected (e.g. Stripe's customer ids);
2. :func:`send_notices`, once the change has committed (a task: inline or on Celery): each notifier
   tells its recipient; a notice that fails — a refused or silent mail server, an API that is away —
   is kept, with the ids it needs, and retried later (:func:`send_due`, ``privacy_notify_recipients``,
   the admin's **Retry** action) with a growing delay;
3. :func:`settle`: a request whose work is done is completed only once every notice is sent; until
   then its status is "waiting for recipients".
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jsg_privacy.crypto import subjects
from jsg_privacy.flows.models import Restriction
from jsg_privacy.notifiers import Event, Footprint, Notice, NotifierError, notifier_for
from jsg_privacy.registry import Subject, registry
from jsg_privacy.requests import cases
from jsg_privacy.requests.models import Case, Status
from jsg_privacy.requests.notices import NoticeStatus, RecipientNotice

logger = logging.getLogger("jsg_privacy.requests")

#: The delay before the first retry, doubled after each failure up to :data:`MAX_DELAY`.
FIRST_DELAY = timedelta(minutes=5)
MAX_DELAY = timedelta(days=1)


def address_of(subject: Subject) -> str:
    """The address a recipient knows the subject by: the subject's, else their account's."""
    if subject.email:
        return subject.email
    if subject.user_id is None:
        return ""
    User = get_user_model()
    user = User._default_manager.filter(pk=subject.user_id).first()
    return str(getattr(user, User.get_email_field_name(), "") or "") if user else ""


def subject_key(subject: Subject) -> str:
    """The key the disclosure log files the subject under: the user's, else the address's."""
    if subject.user_id is not None:
        return subjects.for_user(subject.user_id)
    return subjects.for_email(subject.email) if subject.email else ""


def plan(
    subject: Subject,
    event: Event,
    *,
    case: Case | None = None,
    restriction: Restriction | None = None,
    fields: Mapping[str, str] | None = None,
) -> list[RecipientNotice]:
    """Record a pending notice for each recipient to tell of ``event``, in the transaction of the
    change. ``fields`` (a correction): ``{field name: category}`` of what was corrected."""
    return record(prepare(subject, event, fields=fields), case=case, restriction=restriction)


def prepare(
    subject: Subject, event: Event, *, fields: Mapping[str, str] | None = None
) -> list[RecipientNotice]:
    """The notices :func:`plan` records, unsaved: call it *before* an erasure (which removes what
    finds the recipients and what their notifiers collect) and :func:`record` after it."""
    footprint = Footprint(subject)
    fields = dict(fields or {})
    address = address_of(subject)
    key = subject_key(subject)
    notices = []
    for recipient in list(registry.recipients.values()):
        notifier = notifier_for(recipient)
        if not notifier.handles(event):
            continue
        if event == Event.RECTIFIED and not notifier.concerned(fields, set(fields.values())):
            continue
        if not notifier.received(subject, footprint):
            continue
        references = notifier.collect(subject)
        notices.append(
            RecipientNotice(
                recipient=recipient.key,
                event=event,
                fields=sorted(fields) if event == Event.RECTIFIED else [],
                subject_key=key,
                email=address,
                references=json.dumps(list(references)) if references else "",
            )
        )
    return notices


def record(
    notices: list[RecipientNotice],
    *,
    case: Case | None = None,
    restriction: Restriction | None = None,
) -> list[RecipientNotice]:
    """Save :func:`prepare`'s notices on the request (and the restriction)."""
    for notice in notices:
        notice.case, notice.restriction = case, restriction
        notice.save()
    if case is not None and notices:
        cases.audit(
            case,
            "recipients to be told",
            detail=f"{Event(notices[0].event).label}: "
            + ", ".join(n.recipient_name for n in notices),
        )
    return notices


def send_later(notices: Iterable[RecipientNotice], *, now: bool = False) -> None:
    """Send ``notices`` once the current transaction commits (``now``: at once), as a task."""
    from jsg_privacy import tasks

    ids = [notice.pk for notice in notices]
    if not ids:
        return
    if now:
        tasks.dispatch(tasks.notify_recipients, ids)
    else:
        tasks.enqueue(tasks.notify_recipients, ids)


def send_notices(ids: Iterable[int]) -> tuple[int, int]:
    """Send the notices ``ids`` that are not sent yet; return (sent, failed).

    They are written in the project's ``LANGUAGE_CODE``, whatever language the requester or the
    member of staff reads the site in: they go to the shop's partners."""
    sent = failed = 0
    for notice_id in ids:
        try:
            with translation.override(settings.LANGUAGE_CODE):
                outcome: bool | None = send_one(notice_id)
        except DatabaseError as exc:  # the database, not the recipient: left due, tried again
            logger.warning("Art. 19 notice %s not sent: %s", notice_id, type(exc).__name__)
            outcome = False
        if outcome is True:
            sent += 1
        elif outcome is False:
            failed += 1
    return sent, failed


def send_due(limit: int | None = None) -> tuple[int, int]:
    """Retry every unsent notice whose next attempt is due (the command and the periodic task)."""
    ids = (
        RecipientNotice.objects.due().order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    )
    return send_notices(list(ids[:limit] if limit else ids))


def _delay(attempts: int) -> timedelta:
    return min(FIRST_DELAY * (1 << max(attempts - 1, 0)), MAX_DELAY)


def send_one(notice_id: int) -> bool | None:
    """Send one notice: True if sent, False if it failed (kept for a retry), None if there was
    nothing to send (sent already, or being sent by another worker)."""
    with transaction.atomic():
        notice = (
            RecipientNotice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("case")
            .filter(pk=notice_id)
            .exclude(status=NoticeStatus.SENT)
            .first()
        )
        if notice is None:
            return None
        now = timezone.now()
        notice.attempts += 1
        notice.last_attempt_at = now
        try:
            # What a notifier writes (a disclosure log entry) stays even if the call fails.
            result = _tell(notice)
        except DatabaseError:
            raise  # this transaction is lost: nothing is recorded, and the notice stays due
        except Exception as exc:  # any failure: keep the notice and what it needs, retry later
            reason = str(exc) if isinstance(exc, NotifierError) else type(exc).__name__
            notice.status = NoticeStatus.FAILED
            notice.error = reason[:255]
            notice.next_attempt_at = now + _delay(notice.attempts)
            logger.warning(
                "Art. 19 notice %s to %s failed (attempt %s): %s",
                notice.pk,
                notice.recipient,
                notice.attempts,
                notice.error,  # a NotifierError's words (never personal data), else the type
            )
            if notice.case is not None:
                cases.audit(
                    notice.case,
                    "recipient not told yet",
                    detail=f"{notice.recipient_name}: {notice.error}",
                )
        else:
            _mark_sent(notice, result, now)
        notice.save()
    if notice.status == NoticeStatus.SENT and notice.case is not None:
        settle_waiting(notice.case)
    return notice.status == NoticeStatus.SENT


def _tell(notice: RecipientNotice) -> str:
    recipient = notice.declared
    if recipient is None:
        raise NotifierError(
            f"{notice.recipient!r} is no longer declared: declare it again, or tell it another "
            "way and record it."
        )
    if notice.case is not None:
        reference = notice.case.reference
    elif notice.restriction_id is not None:
        reference = f"restriction {notice.restriction_id}"
    else:
        reference = f"notice {notice.pk}"
    return notifier_for(recipient).send(
        Notice(
            event=Event(notice.event),
            recipient=recipient,
            reference=reference,
            email=notice.email,
            subject_key=notice.subject_key,
            fields=tuple(notice.fields or ()),
            references=notice.reference_list(),
        )
    )


def _mark_sent(notice: RecipientNotice, result: str, now: Any) -> None:
    notice.status = NoticeStatus.SENT
    notice.sent_at = now
    notice.next_attempt_at = None
    notice.error = ""
    notice.result = str(result or "")[:255]
    notice.email = ""  # what it needed is no longer needed: the request keeps its own record
    notice.references = ""
    if notice.case is not None:
        cases.audit(
            notice.case, "recipient told", detail=f"{notice.recipient_name}: {notice.result}"
        )


def told_another_way(notice: RecipientNotice, how: str, *, actor: Any = None) -> None:
    """Staff told the recipient another way (a phone call, its portal): the notice counts as sent."""
    if not how.strip():
        raise cases.CaseError(_("Say how the recipient was told."))
    with transaction.atomic():
        current = RecipientNotice.objects.select_for_update().get(pk=notice.pk)
        if current.status == NoticeStatus.SENT:
            raise cases.CaseError(_("This recipient has been told already."))
        _mark_sent(current, "told another way by staff", timezone.now())
        current.save()
        if current.case is not None:
            cases.audit(
                current.case,
                "recipient told another way",
                actor=actor,
                detail=f"{current.recipient_name}: {how.strip()}",
            )
    if current.case is not None:
        settle_waiting(current.case)
    notice.refresh_from_db()


def settle(case: Case, outcome: dict[str, Any], *, actor: Any = None) -> None:
    """The request's work is done: complete it, or wait until every recipient has been told."""
    if case.recipient_notices.unsent().exists():
        case.status = Status.WAITING
        case.outcome = outcome
        case.failure_reason = ""
        case.save(update_fields=["status", "outcome", "failure_reason"])
        cases.audit(case, "waiting for recipients", actor=actor)
    else:
        cases.complete(case, outcome, actor=actor)


def settle_waiting(case: Case) -> bool:
    """Complete a request that was waiting for recipients once all are told; True if it was."""
    with transaction.atomic():
        current = Case.objects.select_for_update().filter(pk=case.pk).first()
        if current is None or current.status != Status.WAITING:
            return False
        if current.recipient_notices.unsent().exists():
            return False
        cases.complete(current, dict(current.outcome or {}))
    case.refresh_from_db()
    return True
