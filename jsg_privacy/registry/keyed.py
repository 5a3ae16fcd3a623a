"""Tables of this database whose rows are found by the subject's keyed hashes.

The consent ledger's neighbours — marketing choices, the suppression list, the disclosure log —
store no user id or e-mail address, only keyed hashes (:mod:`jsg_privacy.crypto.subjects`). They are
found by computing the subject's keys rather than by a path to a user or an e-mail field, so they
are declared as sources with their own ``rows()``, keyed by the model's label (which also tells the
undeclared-data check that the model is covered).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django.db import models

from jsg_privacy.crypto import subjects
from jsg_privacy.registry.sources import RemoteSource, Subject


def subject_keys(subject: Subject) -> tuple[list[str], list[str]]:
    """The subject's keys (user and e-mail keys) and the e-mail keys alone, under every hash key."""
    email_keys = subjects.email_keys(subject.email) if subject.email else []
    return subjects.keys_for(subject), email_keys


class KeyedTableSource(RemoteSource):
    """A table of this database found by keyed hash; exports hold the ``exported`` fields only.

    Subclasses set ``model``, ``key`` (the model's label), ``exported`` and implement :meth:`rows`
    (and :meth:`erase`). ``label`` and ``data_subjects`` are plain strings: the Art. 30 record
    serialises them as they are.
    """

    model: ClassVar[type[models.Model]]

    def rows(self, subject: Subject) -> models.QuerySet[Any]:
        """The subject's rows."""
        raise NotImplementedError

    def table(self) -> type[models.Model]:
        return self.model

    def export(self, subject: Subject) -> Iterable[Mapping[str, Any]]:
        return list(self.rows(subject).values(*self.export_fields()))

    def count(self, subject: Subject) -> int:
        return self.rows(subject).count()
