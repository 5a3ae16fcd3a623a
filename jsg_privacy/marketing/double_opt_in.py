"""Double opt-in: e-mail consent counts only after the person clicks the link we e-mail them.

With ``JSG_PRIVACY_MARKETING_DOUBLE_OPT_IN`` on, ticking the e-mail box marks the choice as pending
and sends a signed confirmation link (valid for :data:`~jsg_privacy.marketing.tokens.CONFIRM_MAX_AGE`).
The link opens a page with a button: a mail scanner that follows links cannot confirm for anyone.
The ledger records the consent on confirmation, with channel ``double_opt_in`` and the version of
the box the person ticked.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jsg_privacy.consent import ledger
from jsg_privacy.consent.models import Action, Channel
from jsg_privacy.inventory import MARKETING_CONSENT
from jsg_privacy.marketing import suppression, tokens, wording
from jsg_privacy.marketing.models import MarketingConsent

logger = logging.getLogger(__name__)

SUBJECT_TEMPLATE = "jsg_privacy/marketing/email/confirm_subject.txt"
BODY_TEMPLATE = "jsg_privacy/marketing/email/confirm_body.txt"


class Result(StrEnum):
    CONFIRMED = "confirmed"
    NOTHING_PENDING = "nothing_pending"  #: already confirmed, or withdrawn since


def confirm_url(subject_key: str, version: str, base_url: str) -> str:
    path = reverse(
        "jsg_privacy:marketing:confirm", args=[tokens.confirm_token(subject_key, version)]
    )
    return base_url.rstrip("/") + path


def send_confirmation(email: str, subject_key: str, version: str, base_url: str) -> None:
    """E-mail the confirmation link to ``email`` (the address is used here and not kept)."""
    context = {
        "confirm_url": confirm_url(subject_key, version, base_url),
        "sender": wording.sender(),
        "valid_days": tokens.CONFIRM_MAX_AGE.days,
    }
    subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
    body = render_to_string(BODY_TEMPLATE, context)
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[email])


def send_confirmation_after_commit(
    email: str, subject_key: str, version: str, base_url: str
) -> None:
    """Send the link once the choice is committed; a mail failure never undoes an order or sign-up.

    A failure is logged without the address or the error's text (which may contain the address);
    the choice stays pending, and ticking the box again sends a new link.
    """

    def send() -> None:
        try:
            send_confirmation(email, subject_key, version, base_url)
        except Exception as exc:  # any mail backend error
            logger.error(
                "Could not send a double opt-in confirmation e-mail (%s).", type(exc).__name__
            )

    transaction.on_commit(send)


def confirm(token: str) -> Result:
    """Confirm the pending choice a link names; raises :class:`tokens.InvalidToken` if forged."""
    confirmation = tokens.read_confirmation(token)
    confirmed = confirm_pending(
        confirmation.subject_key, confirmation.version, channel=Channel.DOUBLE_OPT_IN
    )
    return Result.CONFIRMED if confirmed else Result.NOTHING_PENDING


def confirm_pending(subject_key: str, version: str = "", *, channel: str) -> bool:
    """Turn a pending e-mail choice into consent; False if nothing is pending (idempotent).

    ``version``: of the box the person ticked (from the link); empty keeps the version recorded
    when the box was ticked."""
    with transaction.atomic():
        row = (
            MarketingConsent.objects.select_for_update()
            .filter(
                subject_key=subject_key, purpose=MARKETING_CONSENT, medium="email", pending=True
            )
            .first()
        )
        if row is None:
            return False
        version = version or row.version
        row.granted, row.pending, row.version, row.channel = True, False, version, channel
        row.updated_at = timezone.now()
        row.save()
        ledger.append(
            subject_key=subject_key,
            purpose=MARKETING_CONSENT,
            action=Action.GIVEN,
            channel=channel,
            medium="email",
            version=version,
        )
        suppression.lift(row.contact_key, "email")
    return True
