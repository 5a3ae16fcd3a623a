"""Global Privacy Control and a signed-in customer's consent to partner marketing.

``Sec-GPC: 1`` asks that the person's data not be sold or shared. For a visitor it refuses the
marketing cookie groups (:func:`jsg_privacy.consent.middleware.honour_gpc`); for a signed-in
customer it also withdraws their consent to passing their contact details to partners for the
partners' own marketing (seed 000 §1.5), at once, with a ``withdrawn`` ledger record (channel
``gpc``) — an objection to that direct marketing (Art. 21(3)).

As for cookies, an explicit choice made after the signal was honoured stands: a consent given after
the account's last GPC record — or in the very request that carries the signal, which is then
recorded as a ``signal`` — is not withdrawn again. Nothing is recorded for a customer with no
partner consent, so a client repeating the header adds no rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jsg_privacy import features
from jsg_privacy.consent import ledger
from jsg_privacy.consent.models import Action, Channel, ConsentRecord
from jsg_privacy.inventory import PARTNER_MARKETING
from jsg_privacy.marketing.choices import Person, current, withdraw


def honour(request: Any, *, since: datetime) -> bool:
    """Withdraw the signed-in customer's partner-marketing consent for ``Sec-GPC: 1``; True if it
    was withdrawn. ``since``: when the request started (a consent given in it stands)."""
    user = getattr(request, "user", None)
    if not features.partner_marketing() or not getattr(user, "is_authenticated", False):
        return False
    person = Person.of(user=user)
    latest = current(person, PARTNER_MARKETING, "")
    if latest is None or not latest.granted:
        return False
    keys = set(person.subject_keys) | set(person.all_email_keys)
    seen = ConsentRecord.objects.filter(
        subject_key__in=keys,
        purpose=PARTNER_MARKETING,
        channel=Channel.GPC,
        created_at__gte=latest.updated_at,
    )
    if seen.exists():
        return False  # given after the signal was honoured: that choice stands
    if latest.updated_at >= since:  # ticked in this very request, with the signal on
        ledger.append(
            subject_key=latest.subject_key,
            purpose=PARTNER_MARKETING,
            action=Action.SIGNAL,
            channel=Channel.GPC,
            version=latest.version,
        )
        return False
    # The version is the withdrawn consent's: the signal has no text of its own.
    return withdraw(person, PARTNER_MARKETING, "", version=latest.version, channel=Channel.GPC)
