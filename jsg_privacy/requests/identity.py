"""Proof that an account holder receives mail at an address, before records found by it are theirs.

A subject's records are found by account and by e-mail address (a guest order, an enquiry). Signing
up with an address proves nothing: anyone can type someone else's. So records found only through
the address are released to, or changed for, an account only when one of these holds:

- the account's address is proven: its holder opened a link e-mailed to it (:func:`send_link`,
  recorded as an :class:`~jsg_privacy.requests.models.AddressProof`), django-allauth has it as
  verified, or the shop's own check (``JSG_PRIVACY_ADDRESS_VERIFIER``) says so;
- the request itself was confirmed by a link sent to the address (the public request form), or
  staff recorded how the requester proved it (see :func:`jsg_privacy.requests.cases.subject_of`).

The link carries the account's id and part of the address's keyed hash, never the address; it is
signed with the project's secret and works for :data:`LINK_MAX_AGE`. It proves the address the
account has when the link is opened: after a change of address an old link does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.module_loading import import_string

from jsg_privacy.conf import app_settings
from jsg_privacy.consent.models import Channel
from jsg_privacy.crypto import subjects
from jsg_privacy.marketing.double_opt_in import confirm_pending
from jsg_privacy.requests import ratelimit
from jsg_privacy.requests.models import AddressProof

LINK_SALT = "jsg_privacy.requests.address"
LINK_MAX_AGE = timedelta(days=3)
MAX_TOKEN_LENGTH = 1000
#: Links e-mailed for one account per hour: a resend button cannot be used to flood a mailbox.
LINKS_PER_ACCOUNT = ratelimit.Limit("address-link", 5)
#: How a proof made through the e-mailed link is described (on the proof and in case trails).
BY_LINK = "opened a link e-mailed to the address"
#: Part of the keyed hash a link carries: enough to tell addresses apart, not to look one up.
KEY_PART = 32


class LinkError(Exception):
    """The link is forged, altered or malformed."""


class LinkExpired(LinkError):
    """The link was genuine but is older than :data:`LINK_MAX_AGE`."""


class NoAccount(LinkError):
    """The link was genuine but its account no longer exists."""


def _user_id(user: Any) -> Any:
    return getattr(user, "pk", user)


def _email_of(user: Any) -> str:
    field = get_user_model().get_email_field_name()
    return str(getattr(user, field, "") or "")


def address_proven(user: Any, email: str) -> bool:
    """Whether the account ``user`` (an instance or its id) has proven it receives mail at ``email``."""
    user_id = _user_id(user)
    if user_id is None or not email or not email.strip():
        return False
    proofs = AddressProof.objects.filter(user_id=user_id, email_key__in=subjects.email_keys(email))
    if proofs.exists():
        return True
    if _allauth_verified(user_id, email):
        return True
    verifier = app_settings.ADDRESS_VERIFIER
    if verifier:
        account = user if hasattr(user, "pk") else get_user_model()._default_manager.get(pk=user_id)
        return bool(import_string(verifier)(account, email))
    return False


def _allauth_verified(user_id: Any, email: str) -> bool:
    """django-allauth's own record of a verified address, when allauth's accounts are installed."""
    if not apps.is_installed("allauth.account"):
        return False
    # django-allauth is optional: not installed in the settings mypy runs with.
    model = apps.get_model("account", "EmailAddress")  # type: ignore[misc]
    return bool(
        model._default_manager.filter(
            user_id=user_id, email__iexact=email.strip(), verified=True
        ).exists()
    )


def record_proof(user: Any, email: str, how: str) -> AddressProof:
    """Record that ``user`` proved ``email`` (``how``: in a few words); the first proof is kept.

    The proof also confirms an e-mail marketing opt-in the account made while its address was not
    proven (it waited for exactly this): the owner of the mailbox has now said yes.
    """
    key = subjects.for_email(email)
    try:
        with transaction.atomic():
            existing = AddressProof.objects.filter(
                user_id=_user_id(user), email_key__in=subjects.email_keys(email)
            ).first()
            if existing is not None:  # proven before (perhaps under an older hash key)
                return existing
            proof, created = AddressProof.objects.get_or_create(
                user_id=_user_id(user), email_key=key, defaults={"how": how[:200]}
            )
            if created:
                confirm_pending(subjects.for_user(_user_id(user)), channel=Channel.DOUBLE_OPT_IN)
    except IntegrityError:  # proven by a concurrent request meanwhile
        proof = AddressProof.objects.get(user_id=_user_id(user), email_key=key)
    return proof


# -- the e-mailed link ----------------------------------------------------------------------------


def token_for(user: Any) -> str:
    return signing.dumps(
        {"u": str(user.pk), "k": subjects.for_email(_email_of(user))[:KEY_PART]}, salt=LINK_SALT
    )


@dataclass(frozen=True)
class Link:
    """What a genuine link names: the account, and whether the address is still the account's."""

    user: Any
    current: bool  #: the account still has the address the link was sent to


def read_token(token: Any) -> Link:
    """The account a link is for; raises :class:`LinkError` or :class:`LinkExpired`."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkError("missing or too long")
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkExpired(str(exc)) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkError(str(exc)) from exc
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("u"), str)
        and isinstance(payload.get("k"), str)
    ):
        raise LinkError("malformed")
    try:
        user = get_user_model()._default_manager.filter(pk=payload["u"]).first()
    except (ValueError, TypeError) as exc:  # a primary key of another type
        raise LinkError("malformed") from exc
    if user is None:
        raise NoAccount("no such account")
    email = _email_of(user)
    current = bool(email) and payload["k"] in {k[:KEY_PART] for k in subjects.email_keys(email)}
    return Link(user, current)


def link(request: HttpRequest, user: Any) -> str:
    path = reverse("jsg_privacy:requests:confirm-address", args=[token_for(user)])
    return request.build_absolute_uri(path)


class SendResult:
    SENT = "sent"
    PROVEN = "proven"  #: nothing to send: the address is proven already
    NO_ADDRESS = "no address"
    TOO_MANY = "too many"
    FAILED = "failed"  #: the mail server refused or could not be reached


def send_link(request: HttpRequest, user: Any) -> str:
    """E-mail ``user`` a link that proves their address; a :class:`SendResult` value."""
    email = _email_of(user)
    if not email:
        return SendResult.NO_ADDRESS
    if address_proven(user, email):
        return SendResult.PROVEN
    if not ratelimit.hit(LINKS_PER_ACCOUNT, str(user.pk)).allowed:
        return SendResult.TOO_MANY
    context = {
        "link": link(request, user),
        "days": LINK_MAX_AGE.days,
        "site": request.get_host(),
    }
    try:
        send_mail(
            subject=render_to_string("jsg_privacy/requests/address_subject.txt", context).strip(),
            message=render_to_string("jsg_privacy/requests/address_body.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    except OSError:  # smtplib's errors are OSErrors; the address is not logged
        return SendResult.FAILED
    return SendResult.SENT
