"""Restriction of processing (UK GDPR Art. 18): while it stands, the data is stored and nothing more.

Whatever would use a subject's data for anything but storage asks first — marketing sends, syncs
to a recipient, payments beyond what the order needs, exports to a processor::

    from jsg_privacy.flows.restrict import is_restricted

    if is_restricted(user=customer, email=customer.email):
        return  # keep the data; do not send, sync or pass it on

This module holds the query and the state of a :class:`~jsg_privacy.flows.models.Restriction`;
the requests layer (:mod:`jsg_privacy.requests.restriction`) starts and lifts restrictions through
a request's case, tells the recipients (Art. 19) and the subject (Art. 18(3)).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jsg_privacy.crypto import subjects
from jsg_privacy.flows import Refused
from jsg_privacy.flows.models import Restriction
from jsg_privacy.registry import Subject


def _subject_filter(user_id: Any, email: str) -> Q:
    found = Q()
    if user_id is not None:
        found |= Q(user_id=user_id)
    if email:
        found |= Q(email_key__in=subjects.email_keys(email))
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
    keys = {r.email_key for r in active if r.email_key}
    keys |= {key for e in emails for key in subjects.email_keys(e)}
    return user_ids, emails, keys


def start(subject: Subject, reason: str, *, case: Any = None) -> Restriction:
    """Restrict processing of ``subject``'s data from now on (the caller's transaction)."""
    if not reason.strip():
        raise Refused(_("Give the reason for the restriction."))
    return Restriction.objects.create(
        user_id=subject.user_id,
        email_key=subjects.for_email(subject.email) if subject.email else "",
        reason=reason.strip(),
        case=case,
    )


def address_for(restriction: Restriction, email: str = "") -> str:
    """Where to tell the subject about their restriction: ``email`` (which must be the address it
    was made for), else the request's address, else the account's."""
    if email:
        if restriction.email_key and restriction.email_key not in subjects.email_keys(email):
            raise Refused(_("That is not the address the restriction was made for."))
        return email
    if restriction.case is not None:
        return str(restriction.case.email)
    return str(getattr(restriction.user, "email", "") or "")


def end(restriction: Restriction, reason: str) -> Restriction:
    """Lift the restriction (the caller's transaction; the row is locked): refused until the
    subject has been told it will be (Art. 18(3)). Returns the row as saved."""
    if not reason.strip():
        raise Refused(_("Give the reason for lifting the restriction."))
    current = Restriction.objects.select_for_update().get(pk=restriction.pk)
    if current.lifted_at is not None:
        raise Refused(_("This restriction has already been lifted."))
    if current.lift_notified_at is None:
        raise Refused(_("Tell the subject before lifting the restriction (UK GDPR Art. 18(3))."))
    current.lifted_at = timezone.now()
    current.lift_reason = reason.strip()
    current.save(update_fields=["lifted_at", "lift_reason"])
    return current


def subject_of_restriction(restriction: Restriction) -> Subject | None:
    """Whom a restriction is about: its account, and the address it was made for (the request's,
    when the restriction carries its key) or else the account's."""
    email = str(restriction.case.email) if restriction.case is not None else ""
    if email and restriction.email_key not in subjects.email_keys(email):
        email = ""  # the request's address was not proven: the restriction is the account's
    if not email and restriction.user is not None:
        email = str(getattr(restriction.user, "email", "") or "")
    if restriction.user_id is None and not email:
        return None
    return Subject(user_id=restriction.user_id, email=email)
