"""What a shop's code calls: may I contact this person, record a choice, unsubscribe, suppress.

::

    from jsg_privacy.marketing import api as marketing

    if marketing.may_contact(email=customer_email, medium="email"):
        message = EmailMessage(subject, body, to=[customer_email])
        marketing.add_unsubscribe_headers(message, customer_email, base_url="https://shop.example")
        message.send()

A person is a signed-in ``user`` (their user key) or an ``email`` address (its key); pass both when
you have both. Nothing here stores or logs an e-mail address: only keyed hashes are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsg_privacy.consent.models import Channel
from jsg_privacy.crypto import subjects
from jsg_privacy.flows import restrict as restriction
from jsg_privacy.inventory import MARKETING_CONSENT
from jsg_privacy.marketing import choices, suppression, wording
from jsg_privacy.marketing.choices import Outcome, Person
from jsg_privacy.marketing.unsubscribe import (
    add_unsubscribe_headers,
    page_version,
    unsubscribe,
    unsubscribe_url,
)

__all__ = [
    "Outcome",
    "add_unsubscribe_headers",
    "current_choices",
    "has_consent",
    "is_suppressed",
    "may_contact",
    "record_choices",
    "suppress",
    "unsubscribe_url",
]


def _person(user: Any, email: str) -> Person | None:
    try:
        return Person.of(user=user, email=email)
    except ValueError:
        return None


def has_consent(purpose: str, *, email: str = "", user: Any = None, medium: str = "") -> bool:
    """True if the person's current choice for ``purpose`` (and ``medium``) is a confirmed yes.

    Use it for ``"partner_marketing"`` (may we pass their details on?) and ``"testimonials"``.
    """
    person = _person(user, email)
    if person is None or restriction.is_restricted(user=user, email=email):
        return False  # a restricted subject's data is not used for marketing (Art. 18)
    if medium and suppression.is_suppressed(person.all_email_keys, medium):
        return False
    latest = choices.current(person, purpose, medium)
    return latest is not None and latest.granted and not latest.pending


def may_contact(*, email: str = "", user: Any = None, medium: str = "email") -> bool:
    """True only if the person agreed to marketing by ``medium``, confirmed it (double opt-in) and
    is not on the suppression list.

    A shop relying on the PECR soft opt-in for existing customers checks :func:`is_suppressed`
    instead, and must offer the unsubscribe link in every message.
    """
    return has_consent(MARKETING_CONSENT, email=email, user=user, medium=medium)


def current_choices(*, email: str = "", user: Any = None) -> dict[str, bool]:
    """``{box name: granted}`` for every medium, and ``"partners"`` and ``"testimonials"`` while
    the shop has them switched on."""
    person = _person(user, email)
    result = {}
    for box in wording.boxes(testimonials=True):
        latest = choices.current(person, box.purpose, box.medium) if person else None
        result[box.name] = bool(latest and latest.granted)
    return result


def record_choices(
    choices_made: Mapping[str, bool],
    *,
    channel: str = Channel.API,
    user: Any = None,
    email: str = "",
    versions: Mapping[str, str] | None = None,
    unticked_withdraws: bool = True,
    base_url: str = "",
    proven: bool = True,
) -> Outcome:
    """Record ``{box name: agreed}`` (box names: the media; ``"partners"``, ``"testimonials"`` while
    switched on — otherwise, like any unknown name, a ``ValueError``).

    ``True`` gives consent (or, for e-mail with double opt-in on, e-mails a confirmation link, for
    which ``email`` and ``base_url`` are needed); ``False`` withdraws a consent given before, unless
    ``unticked_withdraws`` is off (an unticked box at checkout changes nothing). ``versions`` are the
    versions of the wording the person saw (default: the current wording). Every change is appended
    to the ledger with ``channel`` (``api``, ``staff``, ...), in the same transaction as the state.
    ``proven=False`` for a choice made by someone who has not shown they own the address (see
    :class:`~jsg_privacy.marketing.choices.Person`).
    """
    unknown = set(choices_made) - {b.name for b in wording.boxes(testimonials=True)}
    if unknown:
        raise ValueError(f"Unknown marketing boxes: {', '.join(sorted(unknown))}.")
    return choices.record(
        Person.of(user=user, email=email, proven=proven),
        choices_made,
        channel=channel,
        versions=versions,
        unticked_withdraws=unticked_withdraws,
        email=email or str(getattr(user, "email", "") or ""),
        base_url=base_url,
    )


def suppress(email: str, medium: str = "email", *, channel: str = Channel.API) -> bool:
    """Unsubscribe ``email`` from ``medium`` (or ``"all"``) and put it on the suppression list.

    For a complaint, a bounce or an unsubscribe your mail provider reported. Idempotent; True if
    anything changed.
    """
    version = page_version(medium)
    return unsubscribe(subjects.for_email(email), medium, channel=channel, version=version)


def is_suppressed(email: str, medium: str = "email") -> bool:
    """True if ``email`` asked not to receive marketing by ``medium``."""
    return suppression.is_suppressed(subjects.email_keys(email), medium)
