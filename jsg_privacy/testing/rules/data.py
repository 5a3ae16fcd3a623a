"""The shop's data: every model declared, exports complete, erasure thorough, deadlines right.

These look at the shop's code and database in the kit's own process, with a subject made by the
shop's factory (``JSG_PRIVACY_KIT["subject"]``) inside a transaction that is always rolled back.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core import checks
from django.db import models, transaction
from django.utils import timezone

from jsg_privacy.registry import ModelSource, registry
from jsg_privacy.registry import anonymisers as anonymiser_functions
from jsg_privacy.registry.paths import PathError, resolve_field, resolve_value
from jsg_privacy.registry.rules import Anonymise, LegalHold
from jsg_privacy.testing.results import IN_PROCESS, Evidence, Findings, Result, Status
from jsg_privacy.testing.rules.base import rule

if TYPE_CHECKING:
    from jsg_privacy.testing.audit import Audit

UNDECLARED = {"jsg_privacy.E002", "jsg_privacy.W007"}
EMPTY: tuple[Any, ...] = (None, "", [], {})
#: A value no row holds: what an anonymiser gives for it shows whether it is a constant.
OTHER = object()


@rule(
    "models-declared",
    "Every model holding personal data is declared",
    law="UK GDPR Art. 30 (records of processing) and Art. 5(2) (accountability)",
    checks="No installed model with personal-looking fields (or rows hanging off rows about a "
    "person) is left out of the declarations (system check E002/W007).",
)
def declared(audit: Audit) -> Result:
    findings = Findings("models-declared", IN_PROCESS)
    messages = [m for m in checks.run_checks() if m.id in UNDECLARED]
    findings.looked()
    for message in messages:
        findings.problem(message.msg)
    findings.note("Declared sources", ", ".join(sorted(registry.sources)))
    return findings.result(f"All {len(registry.sources)} sources of personal data are declared.")


class _Rollback(Exception):
    pass


def _with_subject(audit: Audit, rule_id: str, body: Any) -> Result:
    """Run ``body(subject, findings)`` on a fresh subject, then roll everything back."""
    from jsg_privacy.testing.audit import make_subject

    if audit.config.subject is None:
        return Result(
            rule_id,
            Status.SKIPPED,
            'No subject factory: set JSG_PRIVACY_KIT["subject"] to a function that makes a '
            "customer with data in every source.",
            [IN_PROCESS],
        )
    findings = Findings(rule_id, IN_PROCESS)
    outcome: list[Result] = []
    try:
        with transaction.atomic():
            subject = make_subject(audit)
            outcome.append(body(subject, findings))
            raise _Rollback
    except _Rollback:
        pass
    return outcome[0]


@rule(
    "export-complete",
    "Each subject's export contains every declared source",
    law="UK GDPR Art. 15 (right of access) and Art. 20 (portability)",
    checks="The export of a subject made by the shop's factory lists every declared source, with "
    "as many records as the source holds for that subject.",
)
def export_complete(audit: Audit) -> Result:
    return _with_subject(audit, "export-complete", _check_export)


def _check_export(subject: Any, findings: Findings) -> Result:
    from jsg_privacy.flows import export, subject_data

    expected: dict[str, int | None] = {}
    for source in registry.sources.values():
        if isinstance(source, ModelSource):
            expected[source.key] = source.rows_for(subject).count()
        else:
            expected[source.key] = None
    buffer = io.BytesIO()
    summary = export.export(subject, buffer)
    with zipfile.ZipFile(buffer) as archive:
        data = json.loads(archive.read("data.json"))
    exported = {entry["key"]: len(entry["records"]) for entry in data["sources"]}
    # Disclosures to recipients have a section of their own in the export.
    for key in subject_data.OWN_SECTIONS & set(registry.sources):
        exported[key] = len(data.get("disclosures", []))
    rows = []
    for key in registry.sources:
        findings.looked()
        held, got = expected.get(key), exported.get(key)
        rows.append({"source": key, "rows held": held, "rows exported": got})
        if got is None:
            findings.problem(f"the export leaves out {key}")
        elif key in summary.missing:
            findings.problem(f"{key} could not be read: {summary.missing[key]}")
        elif held is not None and held != got:
            findings.problem(f"{key}: {held} rows held, {got} exported")
    unexercised = [str(r["source"]) for r in rows if not r["rows held"]]
    findings.add(Evidence("Rows per source", kind="table", rows=rows))
    if unexercised:
        findings.note(
            "Sources the factory's subject has no rows in (listed in the export, not exercised)",
            ", ".join(unexercised),
        )
    return findings.result(f"The export lists all {len(exported)} declared sources with every row.")


@rule(
    "erasure-leaves-held-only",
    "Erasure leaves only held fields, until their dates",
    law="UK GDPR Art. 17 (erasure) and Art. 17(3)(b) (legal obligations to keep); Art. 5(1)(e)",
    checks="After erasing a subject made by the shop's factory, each of its rows is deleted or "
    "keeps no personal value, except the fields a dated legal hold keeps (or a declared keep); "
    "the retention engine takes each held row once its date has passed.",
)
def erasure(audit: Audit) -> Result:
    return _with_subject(audit, "erasure-leaves-held-only", _check_erasure)


def _personal_columns(source: ModelSource) -> list[models.Field[Any, Any]]:
    found = []
    for name in source.personal_fields():
        if "__" in name:
            continue
        try:
            field = resolve_field(source.model, name)
        except PathError:
            continue
        if isinstance(field, models.Field) and not field.many_to_many:
            found.append(field)
    return found


def _declared_replacement(
    source: ModelSource, row: Any, field: models.Field[Any, Any], old: Any
) -> bool:
    """Whether the declaration chose to leave ``old``: ``anonymisers.keep``, or a constant that
    happens to equal it (``fixed("GB")`` on a row in GB). An "anonymiser" that hands back whatever
    it is given is not one: the value is reported."""
    erasure = source.erasure
    if isinstance(erasure, LegalHold):
        erasure = erasure.then
    if not isinstance(erasure, Anonymise):
        return False
    anonymiser = erasure.anonymiser_for(field)
    if anonymiser is anonymiser_functions.keep:
        return True
    try:
        return bool(anonymiser(row, old) == old and anonymiser(row, OTHER) == old)
    except Exception:
        return False


def _check_erasure(subject: Any, findings: Findings) -> Result:
    from jsg_privacy.flows import erase

    before = []
    for source in registry.model_sources():
        columns = _personal_columns(source)
        for row in source.rows_for(subject):
            values = {f.attname: getattr(row, f.attname) for f in columns}
            before.append((source, type(row), row.pk, values, columns))
    erase.erase(subject)
    today = timezone.localdate()
    held_rows = []
    for source, model, pk, values, columns in before:
        findings.looked()
        found = model._default_manager.filter(pk=pk).first()
        if found is None:
            continue
        row = found
        hold = source.erasure if isinstance(source.erasure, LegalHold) else None
        until = _as_date(hold.until(row)) if hold else None
        kept = set(hold.keep) if hold and until and until > today else set()
        if kept and until is not None:
            cleared = _cleared_by_retention(source, row, until)
            held_rows.append(
                {
                    "source": source.key,
                    "row": pk,
                    "kept": ", ".join(sorted(kept)),
                    "held until": str(until),
                    "retention clears it by": str(cleared or "never"),
                }
            )
            if cleared is None:
                findings.problem(
                    f"{source.key} row {pk}: held until {until}, and its retention rule never "
                    "clears it after that"
                )
        for field in columns:
            old, new = values[field.attname], getattr(row, field.attname)
            if old in EMPTY or new != old:
                continue
            if field.name in kept or _declared_replacement(source, row, field, old):
                continue
            findings.problem(
                f"{source.key} row {pk}: {field.name} still holds its value after erasure"
            )
    findings.add(Evidence("Rows kept under a legal hold", kind="table", rows=held_rows))
    if not before:
        findings.problem("the factory's subject has no rows in any declared source")
    return findings.result(
        f"Erasure cleared all {len(before)} rows but the fields held until their dates."
    )


#: Days after a date by which the retention engine must have taken a row: its periods clamp to
#: the month's end, so an anchor on the 31st may wait up to 3 days longer.
GRACE_DAYS = 4


def _cleared_by_retention(source: ModelSource, row: Any, until: date) -> date | None:
    """The day by which the retention engine takes ``row``, held until ``until``: soon after the
    hold ends, or after the retention rule's own period if that ends later; ``None`` if never."""
    from jsg_privacy.retention import policy

    rule = policy.rule_for(source)
    if rule is None:
        return None
    ends = [until]
    start = resolve_value(row, rule.anchor)
    if start:
        ends.append(_as_date(rule.period.after(start)) or until)
    elif rule.fallback and (fallback := resolve_value(row, rule.fallback)):
        ends.append(_as_date(rule.fallback_kept.after(fallback)) or until)
    for end in sorted(set(ends)):
        day = end + timedelta(days=GRACE_DAYS)
        moment = timezone.make_aware(datetime.combine(day, time.min))
        due = policy.due_filter(source, rule, moment)
        if type(row)._default_manager.filter(pk=row.pk).filter(due).exists():
            return day
    return None


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value  # type: ignore[no-any-return]


#: (received, due): one calendar month later, or the month's last day when there is no such date.
CALENDAR_MONTH = [
    (date(2026, 1, 15), date(2026, 2, 15)),
    (date(2026, 1, 31), date(2026, 2, 28)),
    (date(2028, 1, 31), date(2028, 2, 29)),
    (date(2026, 3, 31), date(2026, 4, 30)),
    (date(2026, 8, 31), date(2026, 9, 30)),
    (date(2026, 12, 31), date(2027, 1, 31)),
]


@rule(
    "deadlines-calendar-month",
    "Deadlines follow the calendar-month rule",
    law="UK GDPR Art. 12(3); ICO guidance on time limits for responding to requests",
    checks="A request's due date is the same date the next month, or that month's last day when "
    "there is no such date (31 January -> 28/29 February).",
)
def deadlines(audit: Audit) -> Result:
    from jsg_privacy.requests import cases

    findings = Findings("deadlines-calendar-month", IN_PROCESS)
    rows = []
    for received, due in CALENDAR_MONTH:
        findings.looked()
        got = cases.due_date(received)
        rows.append({"received": str(received), "expected": str(due), "due": str(got)})
        if got != due:
            findings.problem(f"received {received}: due {got}, not {due}")
    findings.add(Evidence("Due dates", kind="table", rows=rows))
    return findings.result("Every due date is one calendar month after receipt.")
