"""Restriction of processing (UK GDPR Art. 18): while it stands, the data is stored and nothing more.

Whatever would use a subject's data for anything but storage asks first — marketing sends, syncs
to a recipient, exports to a processor::

    from jsg_privacy.requests.restriction import is_restricted

    if is_restricted(user=customer, email=customer.email):
        return  # keep the data; do not send, sync or pass it on

A restriction is lifted only after the subject has been told it will be (Art. 18(3)):
:func:`notify_before_lifting`, then :func:`lift`. Each step is audited on the request's case.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jsg_privacy.consent import subjects
from jsg_privacy.registry import Subject
from jsg_privacy.requests.cases import CaseError, audit, complete
from jsg_privacy.requests.limits import Restriction
from jsg_privacy.requests.models import Case, Kind, Status

ACTIVE_CASE_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.FAILED)


def _subject_filter(user_id: Any, email: str) -> Q:
    found = Q()
    if user_id is not None:
        found |= Q(user_id=user_id)
    if email:
        found |= Q(email_key=subjects.for_email(email))
    return found


def is_restricted(subject: Subject | None = None, *, user: Any = None, email: str = "") -> bool:
    """True while processing of the subject's data is restricted: one indexed query.

    Pass a :class:`~jsg_privacy.registry.Subject`, or ``user`` (a user or its id) and/or ``email``;
    a user's own address counts too.
    """
    if subject is not None:
        user_id, email = subject.user_id, subject.email
    else:
        user_id = getattr(user, "pk", user)
        email = email or str(getattr(user, "email", "") or "")
    found = _subject_filter(user_id, email)
    if not found:
        return False
    return Restriction.objects.active().filter(found).exists()


def restricted_identities() -> tuple[set[Any], set[str], set[str]] | None:
    """Who is restricted now: account ids, e-mail addresses and e-mail keys; ``None`` if nobody.

    The addresses are the restricted accounts' own and those on the restrictions' requests; the keys
    cover those and restrictions made by e-mail key alone. For bulk work (retention) that must
    leave every restricted subject's rows alone.
    """
    from django.contrib.auth import get_user_model

    active = list(Restriction.objects.active().select_related("case"))
    if not active:
        return None
    user_ids = {r.user_id for r in active if r.user_id is not None}
    emails = {r.case.email for r in active if r.case is not None and r.case.email}
    User = get_user_model()
    emails |= {
        str(e)
        for e in User._default_manager.filter(pk__in=user_ids).values_list(
            User.get_email_field_name(), flat=True
        )
        if e
    }
    keys = {r.email_key for r in active if r.email_key} | {subjects.for_email(e) for e in emails}
    return user_ids, emails, keys


def restrict(
    subject: Subject, reason: str, *, case: Case | None = None, actor: Any = None
) -> Restriction:
    """Restrict processing of ``subject``'s data from now on; audited on ``case``.

    A restriction request's case is completed by it (the restriction stands until lifted).
    """
    if not reason.strip():
        raise CaseError(_("Give the reason for the restriction."))
    if case is not None and case.status not in ACTIVE_CASE_STATUSES:
        raise CaseError(
            _("%(ref)s is %(status)s: restrict through a verified, open request.")
            % {"ref": case.reference, "status": case.get_status_display()}
        )
    with transaction.atomic():
        restriction = Restriction.objects.create(
            user_id=subject.user_id,
            email_key=subjects.for_email(subject.email) if subject.email else "",
            reason=reason.strip(),
            case=case,
        )
        if case is not None:
            audit(
                case, "processing restricted", actor=actor, detail=f"restriction #{restriction.pk}"
            )
            if case.kind == Kind.RESTRICTION:
                complete(case, {"restriction": restriction.pk}, actor=actor)
    return restriction


def _address(restriction: Restriction, email: str) -> str:
    if email:
        if restriction.email_key and subjects.for_email(email) != restriction.email_key:
            raise CaseError(_("That is not the address the restriction was made for."))
        return email
    if restriction.case is not None:
        return restriction.case.email
    return str(getattr(restriction.user, "email", "") or "")


def notify_before_lifting(restriction: Restriction, *, email: str = "", actor: Any = None) -> None:
    """Tell the subject the restriction will be lifted (Art. 18(3)); required before :func:`lift`.

    The e-mail goes to ``email`` (which must match the restriction's address), else to the
    request's address, else to the account's.
    """
    if not restriction.active:
        raise CaseError(_("This restriction has already been lifted."))
    address = _address(restriction, email)
    if not address:
        raise CaseError(_("There is no address to tell the subject at: give one."))
    reference = restriction.case.reference if restriction.case else ""
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
    restriction.lift_notified_at = timezone.now()
    restriction.save(update_fields=["lift_notified_at"])
    if restriction.case is not None:
        audit(restriction.case, "requester told the restriction will be lifted", actor=actor)


def lift(restriction: Restriction, *, reason: str, actor: Any = None) -> None:
    """Lift the restriction; refused until the subject has been told (:func:`notify_before_lifting`)."""
    if not reason.strip():
        raise CaseError(_("Give the reason for lifting the restriction."))
    with transaction.atomic():
        current = Restriction.objects.select_for_update().get(pk=restriction.pk)
        if current.lifted_at is not None:
            raise CaseError(_("This restriction has already been lifted."))
        if current.lift_notified_at is None:
            raise CaseError(
                _("Tell the subject before lifting the restriction (UK GDPR Art. 18(3)).")
            )
        current.lifted_at = timezone.now()
        current.lift_reason = reason.strip()
        current.save(update_fields=["lifted_at", "lift_reason"])
        if current.case is not None:
            audit(
                current.case, "restriction lifted", actor=actor, detail=f"restriction #{current.pk}"
            )
    restriction.lifted_at, restriction.lift_reason = current.lifted_at, current.lift_reason
