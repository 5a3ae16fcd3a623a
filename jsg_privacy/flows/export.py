"""Export one subject's data (access, Art. 15; portability, Art. 20) as a ZIP, streamed to disk.

The ZIP holds ``data.json`` (valid against ``schema.json``, which is included), one CSV per source,
and a readable ``index.html``. Besides the records it holds what Art. 15 requires: purposes and their
bases, categories, recipients, transfers and safeguards, retention, where the data came from, the
subject's consent history and disclosures to recipients, and the rights and complaint route — all
drawn from the registry. Rows are streamed source by source, so memory stays flat however much a
subject has; other people's data inside the records is redacted.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json.encoder import encode_basestring  # the C function, where Python has it
from pathlib import Path
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from jsg_privacy import features
from jsg_privacy.flows import columns as export_columns
from jsg_privacy.flows import history, letter, subject_data
from jsg_privacy.flows.search import SearchLog
from jsg_privacy.notice import content as notice_content
from jsg_privacy.notice import versions as notice_versions
from jsg_privacy.registry import ModelSource, Source, SourceUnavailable, Subject, registry

FORMAT = "jsg_privacy.export/1"
OWN_SECTION_REASON = _(
    "Shown in its own section of this export (disclosures), not among the sources."
)
SCHEMA_PATH = Path(__file__).with_name("export.schema.json")


@dataclass
class Summary:
    """What an export contained: rows per source, and the consent and disclosure counts."""

    rows: dict[str, int] = field(default_factory=dict)
    #: Sources missing from the export because their system could not be reached, with the reason.
    missing: dict[str, str] = field(default_factory=dict)
    consent_records: int = 0
    disclosures: int = 0
    #: What was searched, left out or unavailable, and what was redacted (:mod:`.search`).
    search_record: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def export(
    subject: Subject, target: str | Path | IO[bytes], *, address_withheld: bool = False
) -> Summary:
    """Write the subject's ZIP to ``target`` (a path or a writable binary file).

    ``address_withheld``: the requester gave an address they have not proven, so it is not part
    of ``subject``; the search record says what that left out.
    """
    summary = Summary()
    log = SearchLog(subject, address_withheld=address_withheld)
    with (
        # Level 1: a few per cent larger than the default level 6, at a fraction of its time.
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        tempfile.TemporaryDirectory(prefix="jsg-export-") as scratch,
    ):
        csv_paths: list[tuple[str, Path]] = []
        page = Page(Path(scratch))
        with archive.open("data.json", "w") as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
            _write_json(out, subject, summary, log, Path(scratch), csv_paths, page)
            out.flush()
            out.detach()
        for name, path in csv_paths:
            archive.write(path, name)
        archive.write(SCHEMA_PATH, "schema.json")
        with archive.open("index.html", "w") as html:
            letter.assemble(_index(subject, summary, page), page.fragments, html)
    return summary


@dataclass
class Page:
    """What ``index.html`` is built from as the export streams: one HTML file of records per
    source (and for the consent history and the disclosures), by position."""

    scratch: Path
    cells: letter.Cells = field(default_factory=letter.Cells)
    fragments: list[Path] = field(default_factory=list)
    #: Per source key: (fragment index, records shown).
    sources: dict[str, tuple[int, int]] = field(default_factory=dict)
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: The notice's content (purposes, recipients, rights), as data.json has it.
    about: dict[str, Any] = field(default_factory=dict)
    #: Each category's label, in the export's language.
    category_labels: dict[str, str] = field(default_factory=lambda: _category_labels())

    def records(
        self, columns: list[export_columns.Column], *, caption: str, singular: str, **extra: Any
    ) -> letter.Records:
        path = self.scratch / f"{len(self.fragments)}.html"
        self.fragments.append(path)
        return letter.Records(
            path, columns, self.cells, caption=caption, singular=singular, **extra
        )


# Records are plain values built here, never self-referencing: no check for cycles (a tenth of the
# encoding's time; a cycle would still fail, with RecursionError).
_encoder = json.JSONEncoder(ensure_ascii=False, default=str, check_circular=False)
_dump = _encoder.encode


def _write_json(
    out: io.TextIOWrapper,
    subject: Subject,
    summary: Summary,
    log: SearchLog,
    scratch: Path,
    csv_paths: list[tuple[str, Path]],
    page: Page,
) -> None:
    about = page.about = notice_versions.built()[0]  # built once per language, read only
    head = {
        "format": FORMAT,
        "generated_at": datetime.now(UTC).isoformat(),
        "subject": {"user_id": subject.user_id, "email": subject.email},
        "controller": about["controller"],
        "processing": {k: about[k] for k in ("categories", "transfers", "rights", "response_time")},
        "supervisory_authority": about["supervisory_authority"],
    }
    out.write(_dump(head)[:-1])  # leave the object open: sources follow, streamed
    out.write(',"sources":[')
    for index, source in enumerate(subject_data.sources()):
        if index:
            out.write(",")
        _write_source(out, source, subject, summary, log, scratch, csv_paths, page)
    out.write('],"consent_history":[')
    subject_keys = history.keys(subject)
    shown = page.records(
        history.consent_columns(), caption=str(_("Your consent choices")), singular=""
    )
    for index, record in enumerate(history.consent_records(subject, subject_keys)):
        out.write(("," if index else "") + _dump(record))
        shown.add((record,))
        summary.consent_records += 1
    shown.close()
    page.sections["consent_history"] = (len(page.fragments) - 1, shown.count)
    out.write('],"disclosures":[')
    shown = page.records(
        history.disclosure_columns(), caption=str(_("What we sent to whom")), singular=""
    )
    for index, record in enumerate(history.disclosures(subject, subject_keys)):
        out.write(("," if index else "") + _dump(record))
        shown.add((record,))
        summary.disclosures += 1
    shown.close()
    page.sections["disclosures"] = (len(page.fragments) - 1, shown.count)
    for key in subject_data.OWN_SECTIONS:
        log.own_section(key, str(OWN_SECTION_REASON))
    summary.search_record = log.record()
    out.write('],"search_record":' + _dump(summary.search_record) + "}\n")


def _json_records(keys: list[str], columns: list[Sequence[Any]], count: int) -> str:
    """The records as ``data.json`` holds them (``_dump(records)`` without its brackets), from
    their columns: each column encoded by one call per value of the JSON encoder's own C
    functions, each record put together by one ``%`` of a template of its keys. Byte for byte
    what ``_dump`` writes for the same records."""
    if not keys:
        return ", ".join(["{}"] * count)
    template = "{" + ", ".join(_dump(key).replace("%", "%%") + ": %s" for key in keys) + "}"
    encoded = [_json_values(column) for column in columns]
    return ", ".join(map(template.__mod__, zip(*encoded, strict=True)))


_TEXT = frozenset({str})
_TEXT_OR_NULL = frozenset({str, type(None)})
_WHOLE = frozenset({int})


def _json_values(values: Sequence[Any]) -> list[str]:
    """Each value of a column as JSON text, as the export's encoder writes it."""
    kinds = set(map(type, values))
    if kinds <= _TEXT:
        return list(map(encode_basestring, values))
    if kinds <= _TEXT_OR_NULL:
        return ["null" if value is None else encode_basestring(value) for value in values]
    if kinds == _WHOLE:
        return list(map(int.__repr__, values))
    return list(map(_dump, values))


def _write_source(
    out: io.TextIOWrapper,
    source: Source,
    subject: Subject,
    summary: Summary,
    log: SearchLog,
    scratch: Path,
    csv_paths: list[tuple[str, Path]],
    page: Page,
) -> None:
    described = export_columns.columns(source)
    columns = [column.name for column in described]
    meta = {
        "key": source.key,
        "label": str(notice_content.source_name(source)),
        "categories": source.personal_fields(),
        "origins": [origin.label for origin in source.origins],
        "retention": notice_content.retention_text(source),
        "redacted": list(source.redact) if isinstance(source, ModelSource) else [],
        "fields": {column.name: column.describe() for column in described},
    }
    out.write(_dump(meta)[:-1] + ',"records":[')
    csv_path = scratch / f"{len(csv_paths)}.csv"
    count = 0
    minor = export_columns.money_converters(source, columns)
    shown = page.records(
        described,
        caption=str(notice_content.source_name(source)),
        singular=_singular(source),
        personal=source.personal_fields(),
        redacted=meta["redacted"],
        category_labels=page.category_labels,
    )
    with contextlib.ExitStack() as files:
        writer: Any = None  # the CSV is opened at the first record: none for an empty source
        # Only a list (a many-to-many field, or a remote source's) becomes "a; b" in the CSV.
        lists = _list_columns(source, columns)
        redact = [(i, name) for i, name in enumerate(columns) if name in meta["redacted"]]
        money = [(columns.index(name), name, declared) for name, declared in minor]
        searching = log.will_search(source)
        # A chunk at a time, a column at a time: one encoder call per chunk, not per record.
        try:
            for chunk in subject_data.chunks(source, subject) if searching else ():
                values = list(chunk.columns)
                if writer is None:
                    handle = files.enter_context(csv_path.open("w", encoding="utf-8", newline=""))
                    writer = csv.writer(handle)
                    # A heading people read, then the field names data.json uses, for software.
                    writer.writerow([column.label for column in described])
                    writer.writerow(columns)
                for i, name in redact:
                    if withheld := values[i].count(subject_data.REDACTED):
                        log.redaction(source, name, withheld)
                for i, name, declared in money:  # every amount in pounds, not pence: one unit
                    records = chunk.records  # (their currency fields, which are not converted)
                    values[i] = [
                        export_columns.to_major(value, export_columns.currency_of(declared, record))
                        for value, record in zip(values[i], records, strict=True)
                    ]
                    if chunk.remote:  # data.json is written from the records it gave
                        for record, value in zip(records, values[i], strict=True):
                            record[name] = value
                if chunk.remote:
                    text = _dump(chunk.records)[1:-1]
                else:
                    text = _json_records(
                        chunk.keys, [values[p] for p in chunk.positions], chunk.count
                    )
                out.write(("," if count else "") + text)
                for i in lists:
                    values[i] = [
                        "; ".join(value) if isinstance(value, list) else value
                        for value in values[i]
                    ]
                writer.writerows(zip(*values, strict=True) if values else [()] * chunk.count)
                shown.add_columns(
                    values, chunk.records if shown.needs_records else None, count=chunk.count
                )
                count += chunk.count
        except SourceUnavailable as error:  # the rest of the export is still delivered
            summary.missing[source.key] = str(error)
    shown.close()
    page.sources[source.key] = (len(page.fragments) - 1, shown.count)
    missing = summary.missing.get(source.key)
    out.write("]" + (f',"missing":{_dump(missing)}' if missing is not None else "") + "}")
    summary.rows[source.key] = count
    if searching:
        log.searched_source(source, count, missing)
    if count:
        csv_paths.append((f"{source.key}.csv", csv_path))


def _list_columns(source: Source, columns: list[str]) -> list[int]:
    if not isinstance(source, ModelSource):
        return list(range(len(columns)))
    many = set(subject_data.export_fields(source)[1])
    return [i for i, name in enumerate(columns) if name in many]


def _singular(source: Source) -> str:
    """What one record of the source is called ("Order"), to title each record."""
    if isinstance(source, ModelSource):
        name = str(source.model._meta.verbose_name)
        return name[:1].upper() + name[1:]
    return str(_("Record"))


def _category_labels() -> dict[str, str]:
    return {key: str(category.label) for key, category in registry.categories.items()}


def group_of(source: Source) -> str:
    """The category a source is shown under: the one most of its exported fields are in (the
    first declared, on a tie), as the notice groups data."""
    declared = source.personal_fields()
    counts: dict[str, int] = {}
    for name in source.export_fields():
        if name in declared:
            counts[declared[name]] = counts.get(declared[name], 0) + 1
    if not counts:
        return next(iter(source.categories()), "")
    order = list(source.categories())
    return max(counts, key=lambda key: (counts[key], -order.index(key)))


def _groups(about: dict[str, Any], page: Page) -> list[dict[str, Any]]:
    """The notice's categories, each with the subject's records held under it and the Art. 15
    information beside them: purposes and bases, recipients, retention, where it came from."""
    sources = subject_data.sources()
    placed: dict[str, list[Source]] = {}
    for source in sources:
        placed.setdefault(group_of(source), []).append(source)
    groups = []
    for category in about["categories"]:
        members = placed.pop(category["key"], [])
        groups.append(_group(category, members, page))
    for key, members in placed.items():  # a category the notice does not show (none, usually)
        label = page.category_labels.get(key, key)
        groups.append(_group({"key": key, "label": label, "description": ""}, members, page))
    return groups


def _group(category: dict[str, Any], members: list[Source], page: Page) -> dict[str, Any]:
    entries = []
    for source in members:
        index, count = page.sources.get(source.key, (None, 0))
        entries.append(
            {
                "key": source.key,
                "name": notice_content.source_name(source),
                "count": count,
                "records": letter.marker(index) if index is not None and count else "",
                "retention": notice_content.retention_text(source),
                "origins": [str(origin.label) for origin in source.origins],
            }
        )
    origins = list(dict.fromkeys(o for s in members for o in (str(x.label) for x in s.origins)))
    return {
        **category,
        "anchor": f"group-{category['key']}",
        "sources": entries,
        "held": sum(entry["count"] for entry in entries),
        "origins": origins or category.get("origins", []),
    }


def _index(subject: Subject, summary: Summary, page: Page) -> str:
    about = page.about  # built once, for data.json: the page says the same
    groups = _groups(about, page)
    sections = {
        key: letter.marker(index) if count else "" for key, (index, count) in page.sections.items()
    }
    return render_to_string(
        "jsg_privacy/export/index.html",
        {
            "notice": about,
            "subject": subject,
            "summary": summary,
            "groups": groups,
            "held": [
                (entry["name"], entry["count"], group["anchor"])
                for group in groups
                for entry in group["sources"]
                if entry["count"]
            ],
            "sections": sections,
            "missing": [
                (notice_content.source_name(source), summary.missing[source.key])
                for source in subject_data.sources()
                if source.key in summary.missing
            ],
            "generated_at": datetime.now(UTC),
            "search": summary.search_record,
            "disclosure_log": features.disclosure_log(),
        },
    )


def iter_file(path: Path, chunk: int = 64 * 1024) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            yield block
