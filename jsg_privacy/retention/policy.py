"""Which rule applies to a source, when a row's time is up, and how anonymised rows are recognised.

A source's own :class:`~jsg_privacy.registry.Retention` applies, unless the shop is a processor and
a client's instructions (``JSG_PRIVACY_CLIENTS``, retention per category) cover one of the source's
categories: then the client's rule replaces it for the whole source (see ``docs/retention.md``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models
from django.utils import timezone

from jsg_privacy.conf import app_settings
from jsg_privacy.crypto.fields import digest_for
from jsg_privacy.flows.restrict import restricted_identities
from jsg_privacy.registry import Anonymise, LegalHold, ModelSource, Source
from jsg_privacy.registry import anonymisers as anon
from jsg_privacy.registry.clients import parse_clients
from jsg_privacy.registry.paths import PathError, json_key, resolve_field
from jsg_privacy.registry.rules import Period, Retention

#: A fixed date to compare periods by length (a client's "6 months" against "180 days").
_MEASURE_FROM = datetime(2001, 1, 1)


def before(period: Period, moment: date | datetime) -> date | datetime:
    """The latest anchor whose ``period.after(anchor)`` is surely at or before ``moment``.

    The inverse of :meth:`Period.after`, clamping to the month's end: an anchor on the 31st may
    wait up to 3 days longer than ``after`` says, never less (rows are never removed early).
    """
    moment = moment - timedelta(days=period.days)
    month_index = moment.month - 1 - period.months - 12 * period.years
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def cutoff(model: type[models.Model], anchor: str, period: Period, now: datetime) -> Any:
    """``before(period, now)`` as the anchor field's type (a date for a DateField)."""
    field = resolve_field(model, anchor)
    if isinstance(field, models.DateTimeField):
        return before(period, now)
    return before(period, timezone.localdate(now))


def table_of(source: Source) -> type[models.Model] | None:
    """The model whose rows hold a source's data: ModelSources and keyed tables have one."""
    return source.table()


def model_of(source: Source) -> type[models.Model]:
    """:func:`table_of`, for sources known to have a table."""
    model = table_of(source)
    if model is None:
        raise TypeError(f"{source.key} is not kept in a table of this database.")
    return model


def client_rule(source: Source) -> Retention | None:
    """In processor mode, the shortest client rule for any of the source's categories."""
    if app_settings.ROLE != "processor":
        return None
    clients, _problems = parse_clients(app_settings.CLIENTS)
    rules = [
        client.retention[category]
        for client in clients
        for category in source.categories()
        if category in client.retention
    ]
    return min(rules, key=lambda r: r.period.after(_MEASURE_FROM), default=None)


def rule_for(source: Source) -> Retention | None:
    """The rule the engine enforces: a client's instruction, or the source's own declaration.

    A client's anchor that is not a date field of the model keeps the source's anchor with the
    client's period and action ("6 months" is applied from the source's own event).
    """
    own = source.retention
    chosen = client_rule(source)
    if chosen is None:
        return own
    model = table_of(source)
    if model is not None and own is not None and not _is_date(model, chosen.anchor):
        chosen = Retention(
            own.anchor,
            chosen.period,
            chosen.action,
            own.anchor_label,
            own.reason,
            fallback=own.fallback,
            fallback_label=own.fallback_label,
        )
    return chosen


def _is_date(model: type[models.Model], path: str) -> bool:
    try:
        return isinstance(resolve_field(model, path), models.DateField)
    except PathError:
        return False


def anonymise_with(source: Source) -> tuple[Anonymise, tuple[str, ...]]:
    """The anonymisers retention uses, and the fields a legal hold kept on erasure (cleared now)."""
    erasure = source.erasure
    kept: tuple[str, ...] = ()
    if isinstance(erasure, LegalHold):
        kept = erasure.keep
        erasure = erasure.then
    return (erasure if isinstance(erasure, Anonymise) else Anonymise()), kept


@dataclass(frozen=True)
class Marker:
    """A field whose anonymised value no real row has: rows holding it are already anonymised.

    With ``absent``, the marker is a JSON key that anonymising removes: rows without it are done.
    """

    field: str
    lookup: str
    value: str
    absent: bool = False

    def q(self) -> models.Q:
        found = models.Q(**{f"{self.field}__{self.lookup}": self.value})
        return ~found if self.absent else found


def marker_for(source: Source) -> Marker | None:
    """Prefer a field a legal hold kept (it is anonymised last), then any personal field.

    Only ``redact`` ("[erased]") and ``erased_email`` ("…@invalid") are recognisable: a blank or a
    null is also what an optional field holds before anonymisation. An encrypted field redacted to
    "[erased]" is recognised by its keyed hash, if it has one (an encrypted name and its digest).
    """
    model = table_of(source)
    if model is None:
        return None
    anonymise, kept = anonymise_with(source)
    names = [n for n in source.personal_fields() if "__" not in n]
    names = [n for n in names if not isinstance(resolve_field(model, n), models.JSONField)]
    for name in sorted(names, key=lambda n: n not in kept):
        field = resolve_field(model, name)
        if not isinstance(field, models.Field) or field.many_to_many or field.is_relation:
            continue
        chosen = anonymise.anonymiser_for(field)
        if getattr(field, "encrypted", False):  # a token cannot be compared; its keyed hash can
            hashed = digest_for(model, field.name)
            if chosen is anon.redact and hashed is not None:
                # __matches hashes "[erased]" under every hash key, so a rotation finds old rows.
                return Marker(hashed.attname, "matches", anon.ERASED)
            continue
        if chosen is anon.redact:
            return Marker(field.attname, "exact", anon.ERASED)
        if chosen is anon.erased_email:
            return Marker(field.attname, "endswith", "@invalid")
    for name in source.personal_fields():  # a declared key inside a JSON field, removed
        key = json_key(model, name) if "__" in name else None
        if key is not None and key.local and anonymise.anonymiser_for(None, name) is anon.drop_key:
            parent = "__".join((key.field_path, *key.keys[:-1]))
            return Marker(parent, "has_key", key.keys[-1], absent=True)
    return None


def due_filter(source: Source, rule: Retention, now: datetime) -> models.Q:
    """Rows past ``rule``'s end and not under a legal hold. A row whose anchor is empty is due by
    the rule's fallback date; without a fallback it is never due (see :func:`never_due_filter`)."""
    model = model_of(source)
    due = _past(model, rule, now)
    hold = source.erasure
    if isinstance(hold, LegalHold):
        ended = cutoff(model, hold.anchor, hold.period, now)
        due &= models.Q(**{f"{hold.anchor}__isnull": True}) | models.Q(
            **{f"{hold.anchor}__lte": ended}
        )
    return due


def _past(model: type[models.Model], rule: Retention, now: datetime) -> models.Q:
    """Rows whose anchor (or, where it is empty, the fallback) is older than the rule's period."""
    past = models.Q(**{f"{rule.anchor}__lte": cutoff(model, rule.anchor, rule.period, now)})
    if rule.fallback:
        past |= models.Q(**{f"{rule.anchor}__isnull": True}) & models.Q(
            **{f"{rule.fallback}__lte": cutoff(model, rule.fallback, rule.fallback_kept, now)}
        )
    return past


def never_due_filter(source: Source, rule: Retention) -> models.Q | None:
    """Rows that can never become due: the anchor is empty and there is no fallback to use."""
    model = table_of(source)
    if model is None:
        return None
    try:
        nullable = resolve_field(model, rule.anchor).null or "__" in rule.anchor
    except PathError:
        return None
    if not nullable:
        return None
    never = models.Q(**{f"{rule.anchor}__isnull": True})
    if rule.fallback:
        never &= models.Q(**{f"{rule.fallback}__isnull": True})
    return never


def held_filter(source: Source, rule: Retention, now: datetime) -> models.Q | None:
    """Rows past ``rule``'s end but still under the source's legal hold (reported, kept)."""
    model = table_of(source)
    hold = source.erasure
    if model is None or not isinstance(hold, LegalHold):
        return None
    past = _past(model, rule, now)
    return past & models.Q(**{f"{hold.anchor}__gt": cutoff(model, hold.anchor, hold.period, now)})


def restricted_filter(source: Source) -> models.Q | None:
    """Rows of subjects whose processing is restricted (Art. 18): stored, not deleted or anonymised.

    A restriction often exists precisely because the subject needs the data kept (for a legal
    claim, or instead of an erasure they oppose), so retention waits until it is lifted. Matches
    the restricted account, its own e-mail address and the address on the restriction's request;
    an encrypted ``subject_email`` is matched through its keyed hash.
    """
    if not isinstance(source, ModelSource):
        return None  # keyed tables and other systems: retention reaches them by date alone
    subject_path, subject_email = source.subject_path, source.subject_email
    if not (subject_path or subject_email):
        return None
    restricted = restricted_identities()
    if restricted is None:
        return None
    user_ids, emails, keys = restricted
    found = models.Q(pk__in=[])
    if user_ids and subject_path:
        path = "pk" if subject_path == "self" else subject_path
        found |= models.Q(**{f"{path}__in": user_ids})
    if subject_email:
        digest = source.email_digest_path()
        if digest:  # an encrypted address: its keyed hash is the e-mail key
            found |= models.Q(**{f"{digest}__in": keys})
        else:
            for email in sorted(emails):
                found |= models.Q(**{f"{subject_email}__iexact": email})
    return found


def protected_filter(model: type[models.Model]) -> models.Q | None:
    """Rows other rows refer to with ``on_delete=PROTECT`` or ``RESTRICT``: deleting them would be
    refused, so retention keeps them until those rows are gone (check E021 names the links)."""
    found = None
    for rel in model._meta.related_objects:
        if rel.many_to_many or rel.on_delete not in (models.PROTECT, models.RESTRICT):
            continue
        referred = models.Q(**{f"{rel.name}__isnull": False})
        found = referred if found is None else found | referred
    return found
