"""E-mail account holders :data:`WARNING_DAYS` days before their inactive account is deleted.

Accounts are the rows of a source on the user model whose rule deletes them (the example shop:
three years after the last log-in). An account is deleted only once its holder was warned at least
:data:`WARNING_DAYS` days earlier, after the account's last activity (the rule's anchor): each
warning is a :class:`~jsg_privacy.retention.models.RetentionWarning`. An account due within the
warning window is warned once; one already past due and never warned (retention switched on late,
or a run missed) is warned now, and its deletion waits the warning period. Logging in moves the
anchor, so the account is no longer due, and a warning sent before that no longer counts.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models
from django.db.models.functions import Cast, Coalesce
from django.template.loader import render_to_string
from django.utils import timezone

from jsg_privacy.conf import app_settings
from jsg_privacy.registry import Source, registry
from jsg_privacy.registry.paths import PathError, resolve_field, resolve_value
from jsg_privacy.registry.rules import Action, Retention
from jsg_privacy.retention import policy
from jsg_privacy.retention.models import RetentionRun, RetentionWarning

#: How many days before deletion an inactive account holder is warned. A constant, not a setting:
#: 30 days gives a holiday's slack to log in (and so keep the account).
WARNING_DAYS = 30


def account_sources() -> list[Source]:
    """Sources on the user model whose retention rule deletes the account."""
    user_model = get_user_model()
    found = []
    for source in registry.sources.values():
        rule = policy.rule_for(source)
        if policy.table_of(source) is user_model and rule and rule.action == Action.DELETE:
            found.append(source)
    return found


def is_account_source(source: Source) -> bool:
    rule = policy.rule_for(source)
    return (
        rule is not None
        and rule.action == Action.DELETE
        and policy.table_of(source) is get_user_model()
    )


def _rule(source: Source) -> Retention:
    rule = policy.rule_for(source)
    if rule is None:
        raise TypeError(f"{source.key} has no retention rule.")
    return rule


def _warnings_since_anchor(source: Source, rule: Retention) -> models.QuerySet[RetentionWarning]:
    """Warnings of the outer query's account (a row of an account source) sent after its last
    activity (its anchor, or the fallback where the anchor is empty): for use in ``Exists``."""
    anchor: Any = models.OuterRef(rule.anchor)
    if rule.fallback:
        anchor = Coalesce(
            anchor, models.OuterRef(rule.fallback), output_field=models.DateTimeField()
        )
    return RetentionWarning.objects.filter(
        source=source.key,
        object_pk=Cast(models.OuterRef("pk"), output_field=models.CharField()),
        warned_at__gte=anchor,
    )


def account_path(source: Source) -> str | None:
    """How a source's rows reach the account whose deletion they follow: ``"pk"`` for an account
    source, the subject path (``"user"``) for a source deleted by the account's own anchor (saved
    details kept "3 years after your last log-in": ``user__last_login``); ``None`` otherwise."""
    if is_account_source(source):
        return "pk"
    rule = policy.rule_for(source)
    path = getattr(source, "subject_path", "")
    if rule is None or rule.action != Action.DELETE or not path or path == "self":
        return None
    if not rule.anchor.startswith(f"{path}__"):
        return None
    model = policy.table_of(source)
    try:
        target = model is not None and resolve_field(model, path)
    except PathError:
        return None
    if not isinstance(target, models.ForeignKey | models.OneToOneField):
        return None
    return path if target.related_model is get_user_model() else None


def warned_filter(source: Source, now: datetime) -> models.Q | None:
    """For an account source, or a source deleted with the account: rows whose account holder was
    warned at least :data:`WARNING_DAYS` days before ``now``, after their last activity — the only
    ones retention may delete. ``None`` for any other source."""
    path = account_path(source)
    if path is None:
        return None
    rule = _rule(source)
    anchor: Any = models.OuterRef(rule.anchor)
    if rule.fallback:
        anchor = Coalesce(
            anchor, models.OuterRef(rule.fallback), output_field=models.DateTimeField()
        )
    warned = RetentionWarning.objects.filter(
        source__in=[s.key for s in account_sources()],
        object_pk=Cast(models.OuterRef(path), output_field=models.CharField()),
        warned_at__gte=anchor,
        warned_at__lte=now - timedelta(days=WARNING_DAYS),
    )
    return models.Q(models.Exists(warned))


def to_warn(source: Source, now: datetime) -> models.QuerySet[Any]:
    """Accounts due now or within :data:`WARNING_DAYS` days that have not been warned since
    their last activity."""
    rule = _rule(source)
    soon = now + timedelta(days=WARNING_DAYS)
    return (
        policy.model_of(source)
        ._default_manager.filter(policy.due_filter(source, rule, soon))
        .exclude(models.Exists(_warnings_since_anchor(source, rule)))
        .order_by("pk")
    )


def deletion_date(anchor_end: date | datetime, now: datetime) -> date:
    """The day the warning announces: the rule's end, but never sooner than the warning period."""
    end = anchor_end.date() if isinstance(anchor_end, datetime) else anchor_end
    return max(end, timezone.localdate(now) + timedelta(days=WARNING_DAYS))


def warn_inactive(run: RetentionRun, now: datetime) -> dict[str, list[Any]]:
    """Send the warnings and record each; return the warned primary keys per source key.

    A warning that cannot be sent is not recorded, so its account is not deleted and the next run
    tries again; the error stops this run's warnings and is logged on the run.
    """
    sent: dict[str, list[Any]] = {}
    email_field = get_user_model().get_email_field_name()
    for source in account_sources():
        rule = _rule(source)
        for account in to_warn(source, now).iterator(chunk_size=500):
            address = getattr(account, email_field, "")
            if not address:
                continue
            anchor = resolve_value(account, rule.anchor)
            if anchor is None and rule.fallback:
                end = rule.fallback_kept.after(resolve_value(account, rule.fallback))
            else:
                end = rule.period.after(anchor)
            deletion = deletion_date(end, now)
            send(account, address, deletion)
            RetentionWarning.objects.create(
                source=source.key, object_pk=str(account.pk), warned_at=now, deletion_on=deletion
            )
            sent.setdefault(source.key, []).append(account.pk)
    return sent


def waiting(source: Source, rule: Retention, now: datetime) -> int:
    """Accounts due now but kept: their holder was not warned :data:`WARNING_DAYS` days ago."""
    warned = warned_filter(source, now)
    if warned is None:
        return 0
    due = policy.model_of(source)._default_manager.filter(policy.due_filter(source, rule, now))
    return due.exclude(warned).count()


def send(account: Any, address: str, deletion: date | datetime) -> None:
    context = {
        "account": account,
        "deletion": deletion,
        "days": WARNING_DAYS,
        "controller": app_settings.CONTROLLER,
    }
    subject = render_to_string("jsg_privacy/retention/warning_subject.txt", context)
    body = render_to_string("jsg_privacy/retention/warning_email.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [address])


def forget_gone(source: Source) -> int:
    """Drop the warnings of accounts that no longer exist (deleted, erased); return how many."""
    model = policy.model_of(source)
    keys = list(
        RetentionWarning.objects.filter(source=source.key)
        .values_list("object_pk", flat=True)
        .distinct()
    )
    removed = 0
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        pks = []
        for key in chunk:
            try:
                pks.append(model._meta.pk.to_python(key))
            except ValidationError:  # a key the table cannot hold: its account is gone
                continue
        present = {
            str(pk) for pk in model._default_manager.filter(pk__in=pks).values_list("pk", flat=True)
        }
        gone = [key for key in chunk if key not in present]
        if gone:
            removed += RetentionWarning.objects.filter(
                source=source.key, object_pk__in=gone
            ).delete()[0]
    return removed
