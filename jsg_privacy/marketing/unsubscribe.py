"""One-click unsubscribe: signed links, RFC 8058 headers, and what following a link does.

A link carries the keyed hash of the e-mail address and the medium (or ``"all"``), signed and valid
for ``JSG_PRIVACY_UNSUBSCRIBE_MAX_AGE`` days. Posting to it (a person's button, or a mail provider's
``List-Unsubscribe=One-Click`` request) withdraws that marketing, puts the address on the suppression
list and records ``unsubscribed`` in the ledger, once: posting again changes nothing.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from jsg_privacy.consent import ledger
from jsg_privacy.consent.models import Action, Channel
from jsg_privacy.crypto import subjects
from jsg_privacy.inventory import MARKETING_CONSENT, PARTNER_MARKETING
from jsg_privacy.marketing import suppression, tokens, wording
from jsg_privacy.marketing.choices import Person, withdraw


def unsubscribe_path(email: str, medium: str = "email") -> str:
    return reverse(
        "jsg_privacy:marketing:unsubscribe",
        args=[tokens.unsubscribe_token(subjects.for_email(email), medium)],
    )


def unsubscribe_url(email: str, medium: str = "email", *, base_url: str = "") -> str:
    """The unsubscribe link for ``email`` and ``medium`` (``"all"`` for every medium).

    Pass ``base_url`` (``"https://shop.example"``, or ``request.build_absolute_uri("/")``) for a link
    in an e-mail; without it the path alone is returned.
    """
    return base_url.rstrip("/") + unsubscribe_path(email, medium)


def add_unsubscribe_headers(
    message: EmailMessage, email: str, *, base_url: str, medium: str = "email"
) -> EmailMessage:
    """Add ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` (RFC 8058) to ``message``.

    Mail providers then offer their own unsubscribe button, which posts to the link. RFC 8058 asks for
    an HTTPS ``base_url``, and the message must be DKIM-signed for providers to use the header.
    """
    if not base_url:
        raise ValueError("List-Unsubscribe needs an absolute URL: pass base_url.")
    url = unsubscribe_url(email, medium, base_url=base_url)
    message.extra_headers["List-Unsubscribe"] = f"<{url}>"
    message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def page_version(medium: str) -> str:
    """The version of the unsubscribe page's text, recorded with the ``unsubscribed`` event."""
    return wording.version_of(*wording.unsubscribe_text(medium))


def follow(link: tokens.Unsubscribe) -> bool:
    """Unsubscribe as the (verified) link says; True if anything changed."""
    return unsubscribe(
        link.key, link.medium, channel=Channel.UNSUBSCRIBE, version=page_version(link.medium)
    )


def unsubscribe(key: str, medium: str, *, channel: str, version: str) -> bool:
    """Unsubscribe the e-mail key ``key`` from ``medium`` (or ``"all"``); True if anything changed.

    Idempotent: a second call changes and records nothing.
    """
    person = Person.by_email_key(key)
    media = wording.media() if medium == wording.ALL else (medium,)
    changed = False
    with transaction.atomic():
        for each in media:
            withdrew = withdraw(
                person,
                MARKETING_CONSENT,
                each,
                version=version,
                channel=channel,
                action=Action.UNSUBSCRIBED,
            )
            newly_suppressed = suppression.add(key, each, channel=channel)
            if newly_suppressed:
                # Nothing was withdrawn (no recorded consent: a soft opt-in customer, say), yet the
                # unsubscribe itself must be on record. (A withdrawal suppresses, so is not new.)
                ledger.append(
                    subject_key=key,
                    purpose=MARKETING_CONSENT,
                    action=Action.UNSUBSCRIBED,
                    channel=channel,
                    medium=each,
                    version=version,
                )
            changed = changed or withdrew or newly_suppressed
        if medium == wording.ALL:
            changed = (
                withdraw(
                    person,
                    PARTNER_MARKETING,
                    "",
                    version=version,
                    channel=channel,
                    action=Action.UNSUBSCRIBED,
                )
                or changed
            )
    return changed
