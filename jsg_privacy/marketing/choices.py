"""Recording marketing choices: the ledger and the current state change together, or not at all.

Who a choice is about (a :class:`Person`): a signed-in customer by their user key, a guest by the key
of the e-mail address they gave. Every state row also keeps the key of the e-mail address given with
the choice (``contact_key``), so an unsubscribe link — which knows only an e-mail key — reaches a
customer's choices too. The newest of a person's rows for a box is their current choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jsg_privacy.conf import app_settings
from jsg_privacy.consent import ledger
from jsg_privacy.consent.models import Action
from jsg_privacy.crypto import subjects
from jsg_privacy.marketing import double_opt_in, suppression, wording
from jsg_privacy.marketing.models import MarketingConsent


@dataclass(frozen=True)
class Person:
    """The subject of a choice: ``subject_key`` in the ledger, ``email_key`` for e-mail look-ups.

    ``proven``: whoever made the choice has shown they receive mail at the address (a confirmed
    account, an unsubscribe or confirmation link, a trusted server-side call). An unproven person —
    a guest typing an address at checkout, an account whose address is not confirmed — acts only on
    their own choices: they never see, withdraw or overrule choices recorded for the address by
    someone else, never add or lift the address's opt-outs, and an e-mail opt-in for an address
    that opted out waits for the address's owner to confirm it by the e-mailed link.
    """

    subject_key: str
    email_key: str = ""
    proven: bool = True
    #: The same keys under every configured hash key (newest first), for look-ups: choices and
    #: opt-outs recorded before a key rotation are still found. Empty: only the keys above.
    subject_keys: tuple[str, ...] = ()
    email_keys: tuple[str, ...] = ()

    @classmethod
    def of(cls, *, user: Any = None, email: str = "", proven: bool = True) -> Person:
        """A signed-in user (with ``email``, or their account's), else the owner of ``email``."""
        email_keys = tuple(subjects.email_keys(email)) if email else ()
        if user is not None and getattr(user, "is_authenticated", False) and user.pk is not None:
            email = email or getattr(user, "email", "") or ""
            email_keys = tuple(subjects.email_keys(email)) if email else ()
            user_keys = tuple(subjects.user_keys(user))
            return cls(
                user_keys[0], email_keys[0] if email_keys else "", proven, user_keys, email_keys
            )
        if not email:
            raise ValueError("A marketing choice needs a signed-in user or an e-mail address.")
        return cls(email_keys[0], email_keys[0], proven, email_keys, email_keys)

    @classmethod
    def by_email_key(cls, key: str) -> Person:
        return cls(key, key)

    @property
    def all_email_keys(self) -> tuple[str, ...]:
        return self.email_keys or ((self.email_key,) if self.email_key else ())

    def rows(self, purpose: str, medium: str) -> QuerySet[MarketingConsent]:
        """This person's state rows for one box, newest first (an unproven person's own only)."""
        found = Q(subject_key__in=self.subject_keys or (self.subject_key,))
        if self.email_key and self.proven:
            emails = self.all_email_keys
            found |= Q(subject_key__in=emails) | Q(contact_key__in=emails)
        return MarketingConsent.objects.filter(found, purpose=purpose, medium=medium).order_by(
            "-updated_at", "-pk"
        )


@dataclass
class Outcome:
    """The boxes whose state changed, by what happened to them."""

    given: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.given or self.withdrawn or self.pending)


def current(person: Person, purpose: str, medium: str) -> MarketingConsent | None:
    return person.rows(purpose, medium).first()


def record(
    person: Person,
    choices: Mapping[str, bool],
    *,
    channel: str,
    versions: Mapping[str, str] | None = None,
    unticked_withdraws: bool = False,
    email: str = "",
    base_url: str = "",
) -> Outcome:
    """Record ``choices`` ({box name: ticked}) for ``person``, in one transaction.

    A ticked box is consent given (or, for e-mail with double opt-in on, a confirmation e-mailed to
    ``email``). An unticked box changes nothing unless ``unticked_withdraws`` (a preferences page,
    where the box showed the current state); then a granted choice is withdrawn. ``versions`` are
    the versions of the texts shown (default: the current wording).
    """
    versions = versions or {}
    outcome = Outcome()
    with transaction.atomic():
        for name, ticked in choices.items():
            box = wording.box(name)
            version = versions.get(name) or box.version
            if ticked:
                latest = current(person, box.purpose, box.medium)
                if _needs_confirmation(box, latest, person):
                    if unticked_withdraws and latest is not None and latest.pending:
                        continue  # shown as awaiting confirmation and left so: nothing to send
                    if not email or not base_url:
                        raise ValueError("Double opt-in needs the e-mail address and a base_url.")
                    _mark_pending(person, box, version, channel)
                    outcome.pending.append(name)
                    double_opt_in.send_confirmation_after_commit(
                        email, person.subject_key, version, base_url
                    )
                elif _grant(person, box.purpose, box.medium, version, channel, unticked_withdraws):
                    outcome.given.append(name)
            elif unticked_withdraws and withdraw(
                person, box.purpose, box.medium, version=version, channel=channel
            ):
                outcome.withdrawn.append(name)
    return outcome


def _needs_confirmation(box: wording.Box, latest: MarketingConsent | None, person: Person) -> bool:
    """E-mail consent counts only once confirmed by the link (unless already granted) with double
    opt-in on; and, whatever the setting, when an unproven person opts in for an address that opted
    out before: only the address's owner can undo an opt-out."""
    if box.medium != "email" or (latest is not None and latest.granted):
        return False
    if app_settings.MARKETING_DOUBLE_OPT_IN:
        return True
    return not person.proven and suppression.is_suppressed(person.all_email_keys, "email")


def _own_row(person: Person, purpose: str, medium: str, channel: str) -> MarketingConsent:
    """The person's own row for the box, locked, created if missing."""
    rows = MarketingConsent.objects.select_for_update()
    lookup = {"subject_key": person.subject_key, "purpose": purpose, "medium": medium}
    row = rows.filter(**lookup).first()
    if row is None:
        try:
            with transaction.atomic():
                row = MarketingConsent.objects.create(channel=channel, **lookup)
        except IntegrityError:  # created meanwhile by a concurrent request
            row = rows.get(**lookup)
    return row


def _save(row: MarketingConsent, person: Person, **values: Any) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    if person.email_key and row.subject_key == person.subject_key:
        row.contact_key = person.email_key  # so an unsubscribe link for the address reaches it
    row.updated_at = timezone.now()
    row.save()


def _grant(
    person: Person, purpose: str, medium: str, version: str, channel: str, only_changes: bool
) -> bool:
    latest = current(person, purpose, medium)
    if only_changes and latest is not None and latest.granted:
        # A box shown ticked and left ticked is no new act of consent (a pre-ticked box never is):
        # the consent given before, with the version then shown, stands.
        return False
    row = _own_row(person, purpose, medium, channel)
    _save(row, person, granted=True, pending=False, version=version, channel=channel)
    ledger.append(
        subject_key=person.subject_key,
        purpose=purpose,
        action=Action.GIVEN,
        channel=channel,
        medium=medium,
        version=version,
    )
    if medium and person.proven:
        suppression.lift(person.all_email_keys, medium)  # an explicit opt-in by the owner lifts it
    return True


def _mark_pending(person: Person, box: wording.Box, version: str, channel: str) -> None:
    row = _own_row(person, box.purpose, box.medium, channel)
    _save(row, person, granted=False, pending=True, version=version, channel=channel)


def withdraw(
    person: Person,
    purpose: str,
    medium: str,
    *,
    version: str,
    channel: str,
    action: str = Action.WITHDRAWN,
) -> bool:
    """Withdraw every granted or pending row of the person for the box; True if one changed.

    Each withdrawn consent is one ledger record under its row's own subject key, and a withdrawn
    medium goes on the suppression list under the person's e-mail key. A pending choice (double
    opt-in not confirmed) was never consent: it is cancelled without a ledger record.
    """
    changed = withdrew = False
    with transaction.atomic():
        rows = person.rows(purpose, medium).select_for_update()
        for row in rows.filter(Q(granted=True) | Q(pending=True)):
            was_granted = row.granted
            _save(row, person, granted=False, pending=False, version=version, channel=channel)
            changed = True
            if was_granted:
                withdrew = True
                ledger.append(
                    subject_key=row.subject_key,
                    purpose=purpose,
                    action=action,
                    channel=channel,
                    medium=medium,
                    version=version,
                )
        if withdrew and medium and person.proven:
            suppression.add(person.email_key, medium, channel=channel)
    return changed
