"""E-mail account holders :data:`WARNING_DAYS` days before their inactive account is deleted.

Accounts are the rows of a source on the user model whose rule deletes them (the example shop:
three years after the last log-in). Each account is warned once: the run that warns records the
primary keys in its counts (``warned_pks``), and later runs skip accounts warned within the
warning window. Logging in moves the anchor, so the account is no longer due, and is warned
again only if it falls idle once more.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string

from jsg_privacy.conf import app_settings
from jsg_privacy.registry import Source, registry
from jsg_privacy.registry.paths import resolve_value
from jsg_privacy.registry.rules import Action, Retention
from jsg_privacy.retention import policy
from jsg_privacy.retention.models import RetentionRun

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


def _rule(source: Source) -> Retention:
    rule = policy.rule_for(source)
    if rule is None:
        raise TypeError(f"{source.key} has no retention rule.")
    return rule


def already_warned(key: str, now: datetime) -> set[Any]:
    since = now - timedelta(days=WARNING_DAYS + 1)
    runs = RetentionRun.objects.filter(dry_run=False, started_at__gte=since)
    warned: set[Any] = set()
    for counts in runs.values_list("counts", flat=True):
        warned.update((counts or {}).get(key, {}).get("warned_pks", ()))
    return warned


def due_soon(source: Source, now: datetime) -> Any:
    """Accounts due within :data:`WARNING_DAYS` days that are not due yet."""
    rule = _rule(source)
    soon = now + timedelta(days=WARNING_DAYS)
    return (
        policy.model_of(source)
        ._default_manager.filter(policy.due_filter(source, rule, soon))
        .exclude(policy.due_filter(source, rule, now))
        .order_by("pk")
    )


def warn_inactive(run: RetentionRun, now: datetime) -> dict[str, list[Any]]:
    """Send the warnings; return the warned primary keys per source key."""
    sent: dict[str, list[Any]] = {}
    for source in account_sources():
        rule = _rule(source)
        skip = already_warned(source.key, now)
        email_field = get_user_model().get_email_field_name()
        for account in due_soon(source, now).iterator(chunk_size=500):
            address = getattr(account, email_field, "")
            if account.pk in skip or not address:
                continue
            anchor = resolve_value(account, rule.anchor)
            send(account, address, rule.period.after(anchor))
            sent.setdefault(source.key, []).append(account.pk)
    return sent


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
