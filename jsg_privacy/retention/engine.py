"""Enforce every source's retention rule: delete or anonymise the rows whose time is up.

:func:`plan` counts, per source, the rows due, the oldest anchor and the action, changing nothing.
:func:`enforce` does the work in batches of :data:`BATCH` primary keys, each batch in its own
transaction, and logs the run in :class:`~jsg_privacy.retention.models.RetentionRun`. It is
idempotent and resumable: deleted rows are gone, anonymised rows carry their source's marker
(:func:`~jsg_privacy.retention.policy.marker_for`) and no longer match; a crash rolls back only
the batch in hand, and the next run picks up what is still due.
"""

from __future__ import annotations

import copy
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from jsg_privacy.flows.erase import anonymise_row
from jsg_privacy.registry import Source, registry
from jsg_privacy.registry.rules import Action, Retention
from jsg_privacy.retention import lock, policy, warnings
from jsg_privacy.retention.models import RetentionRun

#: Rows per transaction for a plain DELETE (no cascades or delete signals): one statement per batch,
#: and only the batch's last key is fetched, so memory stays flat.
BATCH = 25_000
#: Rows per transaction when rows are loaded: anonymising, or deleting with cascades or signals.
ROW_BATCH = 1_000

Progress = Callable[[str, int, int], None]
"""``(source key, rows done, rows due)`` after each batch; ``due`` is 0 until the source is done."""


@dataclass
class SourceReport:
    """What retention finds (and did) in one source."""

    key: str
    label: str
    action: str = ""
    rule: str = ""
    due: int = 0
    held: int = 0
    #: Due rows kept because the subject's processing is restricted (Art. 18).
    restricted: int = 0
    #: Due rows kept because other rows still refer to them with on_delete=PROTECT (an objection
    #: to a request): they are deleted once those rows are.
    protected: int = 0
    #: Rows that can never become due: their anchor is empty and the rule has no fallback.
    never_due: int = 0
    oldest: str = ""
    deleted: int = 0
    anonymised: int = 0
    warned: int = 0
    #: Accounts due but kept until :data:`~jsg_privacy.retention.warnings.WARNING_DAYS` days after
    #: their holder's warning e-mail (a dry run counts them).
    awaiting_warning: int = 0
    #: Accounts a real run now would warn (due now or within the warning period; a dry run counts).
    to_warn: int = 0
    skipped: str = ""

    def as_counts(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k not in ("key", "label")}


def _sources() -> list[Source]:
    return list(registry.sources.values())


def _queryset(source: Source, rule: Retention, now: datetime) -> models.QuerySet:
    rows = policy.model_of(source)._default_manager.filter(policy.due_filter(source, rule, now))
    if rule.action == Action.ANONYMISE:
        marker = policy.marker_for(source)
        if marker is not None:
            rows = rows.exclude(marker.q())
    restricted = policy.restricted_filter(source)
    if restricted is not None:
        rows = rows.exclude(restricted)
    if rule.action == Action.DELETE:
        protected = policy.protected_filter(rows.model)
        if protected is not None:  # kept until the rows protecting them are gone
            rows = rows.exclude(protected)
    warned = warnings.warned_filter(source, now)
    if warned is not None:  # an account goes only a warning period after its holder was warned
        rows = rows.filter(warned)
    return rows.order_by()


def _report(source: Source, now: datetime, count: bool = True) -> SourceReport:
    report = SourceReport(source.key, str(source.name))
    rule = policy.rule_for(source)
    if rule is None:
        report.skipped = "no retention rule"
        return report
    report.action, report.rule = str(rule.action), str(rule.describe())
    if policy.table_of(source) is None:
        report.skipped = "kept in another system: its own retention applies"
        return report
    if rule.action == Action.ANONYMISE and policy.marker_for(source) is None:
        report.skipped = (
            "cannot tell anonymised rows apart: anonymise one personal field stored in clear "
            "(encrypted values cannot be compared) with anonymisers.redact or "
            "anonymisers.erased_email"
        )
        return report
    if not count:
        return report
    found = _queryset(source, rule, now).aggregate(
        due=models.Count("pk"), oldest=models.Min(rule.anchor)
    )
    # A row due by its fallback has no anchor: the oldest is the oldest anchor there is, if any.
    oldest = found["oldest"]
    report.due, report.oldest = found["due"], oldest.isoformat() if oldest else ""
    held = policy.held_filter(source, rule, now)
    if held is not None:
        model = policy.model_of(source)  # a hold on rows: the source has a table
        report.held = model._default_manager.filter(held).count()
    due = policy.model_of(source)._default_manager.filter(policy.due_filter(source, rule, now))
    restricted = policy.restricted_filter(source)
    if restricted is not None:
        report.restricted = due.filter(restricted).count()
    protected = policy.protected_filter(due.model) if rule.action == Action.DELETE else None
    if protected is not None:
        report.protected = due.filter(protected).count()
    never = policy.never_due_filter(source, rule)
    if never is not None:
        report.never_due = due.model._default_manager.filter(never).count()
    report.awaiting_warning = warnings.waiting(source, rule, now)
    if warnings.is_account_source(source):
        report.to_warn = warnings.to_warn(source, now).count()
    return report


def plan(now: datetime | None = None) -> list[SourceReport]:
    """Per source: rows due now, the oldest anchor among them, rows kept by a legal hold."""
    now = now or timezone.now()
    return [_report(source, now) for source in _sources()]


def enforce(
    *,
    dry_run: bool = False,
    max_rows: int | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    batch: int | None = None,
    warn: bool = True,
) -> RetentionRun:
    """Apply every rule (at most ``max_rows`` rows this run); return the logged run.

    Errors are recorded on the run (status "failed") and the other sources still run; what a
    failed batch touched is rolled back, so the next run resumes where this one stopped.
    """
    now = now or timezone.now()
    if dry_run:
        return _run(now, dry_run=True, max_rows=max_rows, progress=progress, batch=batch, warn=warn)
    with lock.exclusive(now):  # raises RetentionBusy while another real run is under way
        return _run(
            now, dry_run=False, max_rows=max_rows, progress=progress, batch=batch, warn=warn
        )


def _run(
    now: datetime,
    *,
    dry_run: bool,
    max_rows: int | None,
    progress: Progress | None,
    batch: int | None,
    warn: bool,
) -> RetentionRun:
    run = RetentionRun.objects.create(started_at=now, dry_run=dry_run)
    errors: list[str] = []
    reports = []
    for source in _sources():
        try:
            # A real run does not count first: counting scans each table once more (the dry run
            # counts); the batches report what they did.
            reports.append(_report(source, now, count=dry_run))
        except Exception:  # a broken declaration must not stop the other sources
            errors.append(f"{source.key}: {traceback.format_exc(limit=3)}")
    run.counts = {r.key: r.as_counts() for r in reports}
    if not dry_run:
        if warn:
            try:
                for key, warned in warnings.warn_inactive(run, now).items():
                    run.counts.setdefault(key, {})["warned"] = len(warned)
                    run.counts[key]["warned_pks"] = warned
            except Exception:
                errors.append(f"warnings: {traceback.format_exc(limit=3)}")
        budget = [max_rows if max_rows is not None else -1]
        by_key = {r.key: r for r in reports}
        for report in reports:
            if report.skipped or budget[0] == 0:
                continue
            source = registry.sources[report.key]
            try:
                _enforce_source(source, by_key, run, now, budget, batch, progress)
                if warnings.is_account_source(source):
                    warnings.forget_gone(source)
            except Exception:
                errors.append(f"{source.key}: {traceback.format_exc(limit=3)}")
    return _finish(run, errors)


def _rule(source: Source) -> Retention:
    rule = policy.rule_for(source)
    if rule is None:
        raise TypeError(f"{source.key} has no retention rule.")
    return rule


def _finish(run: RetentionRun, errors: list[str]) -> RetentionRun:
    run.errors = "\n".join(errors)
    run.status = RetentionRun.Status.FAILED if errors else RetentionRun.Status.COMPLETED
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "errors", "status", "finished_at"])
    return run


def _enforce_source(
    source: Source,
    reports: dict[str, SourceReport],
    run: RetentionRun,
    now: datetime,
    budget: list[int],
    batch: int | None,
    progress: Progress | None,
) -> None:
    rule = _rule(source)
    rows = _queryset(source, rule, now)
    plain = rule.action == Action.DELETE and Collector(rows.db).can_fast_delete(rows)
    if batch is None:
        batch = BATCH if plain else ROW_BATCH
    span = _key_span(rows, batch) if plain else None
    if span is not None:
        _delete_by_key_windows(source, rule, rows, span, reports, run, budget, batch, progress)
        return
    last_pk = None
    done = 0
    while budget[0] != 0:
        size = batch if budget[0] < 0 else min(batch, budget[0])
        before = {key: (r.deleted, r.anonymised) for key, r in reports.items()}
        counts = copy.deepcopy(run.counts)
        try:
            with transaction.atomic():
                page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
                # Every due row up to the size-th due key: one key is fetched, not all, and the
                # batch is a key range (a range scan on the primary key, not IN (…)).
                edge = list(page.order_by("pk").values_list("pk", flat=True)[size - 1 : size])
                upper = edge[0] if edge else page.aggregate(last=models.Max("pk"))["last"]
                if upper is None:
                    break
                processed = _apply(source, rule, page.filter(pk__lte=upper), reports)
                for key, changed in reports.items():
                    if (changed.deleted, changed.anonymised) != before[key]:
                        run.counts[key] = {**run.counts.get(key, {}), **changed.as_counts()}
                run.save(update_fields=["counts"])
        except BaseException:
            # The batch was rolled back: so are its counts.
            for key, (deleted, anonymised) in before.items():
                reports[key].deleted, reports[key].anonymised = deleted, anonymised
            run.counts = counts
            raise
        last_pk = upper
        done += processed
        if budget[0] > 0:
            budget[0] = max(budget[0] - processed, 0)
        if progress:
            progress(source.key, done, 0)
    if progress and done:
        progress(source.key, done, done)


#: At most this many key windows per source; a table whose keys are sparser is batched by edge keys.
MAX_WINDOWS = 10_000


def _key_span(rows: models.QuerySet, batch: int) -> tuple[int, int] | None:
    """The lowest and highest integer primary key of the table (two index look-ups), or None when
    the keys are not integers or too sparse for windows of ``batch`` keys."""
    if not isinstance(rows.model._meta.pk, models.IntegerField):
        return None
    found = rows.model._default_manager.aggregate(low=models.Min("pk"), high=models.Max("pk"))
    low, high = found["low"], found["high"]
    if low is None or high is None:
        return (0, 0)
    if (high - low) // max(batch, 1) > MAX_WINDOWS:
        return None
    return int(low), int(high)


def _delete_by_key_windows(
    source: Source,
    rule: Retention,
    rows: models.QuerySet,
    span: tuple[int, int],
    reports: dict[str, SourceReport],
    run: RetentionRun,
    budget: list[int],
    batch: int,
    progress: Progress | None,
) -> None:
    """A plain DELETE in windows of ``batch`` consecutive keys, one statement and one transaction
    each: every row is read once, by the DELETE itself (no query for the batch's edge first), and
    a window holds at most ``batch`` rows however many are due."""
    low, high = span
    done = 0
    start = low - 1
    while start < high and budget[0] != 0:
        width = batch if budget[0] < 0 else min(batch, budget[0])
        end = start + width
        before = reports[source.key].deleted
        counts = copy.deepcopy(run.counts)
        try:
            with transaction.atomic():
                processed = _apply(source, rule, rows.filter(pk__gt=start, pk__lte=end), reports)
                if processed:
                    run.counts[source.key] = {
                        **run.counts.get(source.key, {}),
                        **reports[source.key].as_counts(),
                    }
                    run.save(update_fields=["counts"])
        except BaseException:
            reports[source.key].deleted = before
            run.counts = counts
            raise
        start = end
        done += processed
        if budget[0] > 0:
            budget[0] = max(budget[0] - processed, 0)
        if progress and processed:
            progress(source.key, done, 0)
    if progress and done:
        progress(source.key, done, done)


def _apply(
    source: Source,
    rule: Retention,
    batch: models.QuerySet,
    reports: dict[str, SourceReport],
) -> int:
    """Delete or anonymise the batch in the current transaction; return how many rows it held."""
    if rule.action == Action.DELETE:
        # The due filter is part of the statement: an account used meanwhile is no longer due.
        _total, per_model = batch.delete()
        for label, count in per_model.items():  # cascades count for their own sources
            if label in reports:
                reports[label].deleted += count
        return per_model.get(source.key, 0)
    anonymised = _anonymise(source, batch)
    reports[source.key].anonymised += anonymised
    return anonymised


def _anonymise(source: Source, batch: models.QuerySet) -> int:
    anonymise, _kept = policy.anonymise_with(source)
    found = list(batch)
    changed: set[str] = set()
    for row in found:
        # The fields a legal hold kept are anonymised too: the hold is over.
        changed.update(anonymise_row(source, row, anonymise))
    if found and changed:
        type(found[0])._default_manager.bulk_update(found, sorted(changed))
    return len(found)
