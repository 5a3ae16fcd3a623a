"""The record of what an access or portability answer searched (UK GDPR Art. 15(1A)).

Art. 15(1A) asks for reasonable and proportionate searches, and the ICO expects search and
redaction decisions to be recorded. The record is built from the registry while the export runs —
never written by hand — and goes into ``data.json`` (``search_record``), ``index.html`` and the
case's outcome:

- ``searched``: every declared source, database table or remote system, how the subject was looked
  for (by account, by e-mail address), and the rows found;
- ``excluded``: sources not searched, and why (a section of its own, no way to find this subject,
  records that only the address finds while it is not proven);
- ``unavailable``: remote systems that could not be reached, with the reason;
- ``redactions``: values withheld because they are another person's data, by source and field.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from jsg_privacy.notice.content import field_label, source_name
from jsg_privacy.registry import ModelSource, RemoteSource, Source, Subject, registry

BY_ACCOUNT = "account"
BY_ADDRESS = "e-mail address"
OWN_LOOKUP = "its own lookup"
ANOTHER_PERSON = "another person's data"


def ways_to_find(source: Source, subject: Subject) -> list[str]:
    """How ``source`` can find ``subject``: by account, by address, or both (a remote system is
    asked with whatever the subject is known by)."""
    if isinstance(source, RemoteSource):
        return [
            way
            for way, known in ((BY_ACCOUNT, subject.user_id), (BY_ADDRESS, subject.email))
            if known
        ]
    if not isinstance(source, ModelSource):
        return []
    if type(source).subject_filter is not ModelSource.subject_filter:
        return [OWN_LOOKUP]  # the source finds its rows its own way (e.g. through an order)
    ways = []
    if subject.user_id is not None and source.subject_path:
        ways.append(BY_ACCOUNT)
    if subject.email and source.subject_email:
        ways.append(BY_ADDRESS)
    return ways


def why_not_searched(source: Source, subject: Subject, *, address_withheld: bool) -> str:
    if isinstance(source, ModelSource) and source.subject_email and address_withheld:
        return _(
            "Found only by e-mail address, which the requester had not proven: records found by "
            "it were left out."
        )
    if isinstance(source, ModelSource) and not source.subject_email and subject.user_id is None:
        return _("Found only by account, and the requester has none.")
    return _("No way to find this person's records in it.")


class SearchLog:
    """Filled in as the export goes, source by source; :meth:`record` is the finished record."""

    def __init__(self, subject: Subject, *, address_withheld: bool = False) -> None:
        self.subject = subject
        self.address_withheld = address_withheld
        self.searched: list[dict[str, Any]] = []
        self.excluded: list[dict[str, Any]] = []
        self.unavailable: list[dict[str, Any]] = []
        self.redacted: Counter[tuple[str, str]] = Counter()

    def _entry(self, source: Source) -> dict[str, Any]:
        return {"source": source.key, "label": str(source_name(source))}

    def will_search(self, source: Source) -> bool:
        """Whether ``source`` can find the subject; if not, it is recorded as excluded."""
        if ways_to_find(source, self.subject):
            return True
        reason = why_not_searched(source, self.subject, address_withheld=self.address_withheld)
        self.excluded.append({**self._entry(source), "reason": reason})
        return False

    def searched_source(self, source: Source, rows: int, missing: str | None = None) -> None:
        system = _("remote system") if isinstance(source, RemoteSource) else _("database table")
        entry = {
            **self._entry(source),
            "system": str(system),
            "found_by": ways_to_find(source, self.subject),
            "rows": rows,
        }
        self.searched.append(entry)
        if missing is not None:
            self.unavailable.append({**self._entry(source), "reason": missing})

    def redaction(self, source: Source, field: str, count: int = 1) -> None:
        """``count`` values of ``field`` were withheld as another person's data."""
        self.redacted[(source.key, field)] += count

    def own_section(self, key: str, why: str) -> None:
        source = registry.sources.get(key)
        if source is not None:
            self.excluded.append({**self._entry(source), "reason": why})

    def record(self) -> dict[str, Any]:
        labels = {key: str(source_name(s)) for key, s in registry.sources.items()}
        return {
            "searched": self.searched,
            "excluded": self.excluded,
            "unavailable": self.unavailable,
            "redactions": [
                {
                    "source": key,
                    "label": labels.get(key, key),
                    "field": field,
                    "field_label": _label(key, field),
                    "type": ANOTHER_PERSON,
                    "count": count,
                }
                for (key, field), count in sorted(self.redacted.items())
            ],
        }


def _label(key: str, field: str) -> str:
    source = registry.sources.get(key)
    return field_label(source, field) if source is not None else field
