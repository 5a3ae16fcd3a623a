"""Admin search on encrypted models: an exact e-mail address (or name) finds its rows through the
keyed hash, and encrypted columns are not offered for sorting."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from jsg_privacy.crypto.fields import digest_fields, is_encrypted

if TYPE_CHECKING:
    from django.contrib import admin

    _AdminBase = admin.ModelAdmin[Any]  # what the mixin is mixed into, for the type checker
else:
    _AdminBase = object


class KeyedHashSearchMixin(_AdminBase):
    """Mix into a ``ModelAdmin``: a search term also matches every ``KeyedHashField`` exactly.

    ``search_fields`` keeps working for the fields in clear (a reference, a subject); encrypted
    fields must not be listed there (check ``jsg_privacy.E015``). Searching for ``Jo@Example.com``
    then finds the rows whose encrypted e-mail is that address, and ``jo bloggs`` the rows whose
    name has a ``KeyedHashField(kind="name")`` and is "Jo Bloggs", without decrypting anything. With
    nothing in clear to search, leave ``search_fields`` empty: the search box is shown all the same.

    Encrypted columns of ``list_display`` are not sortable: the database would sort the tokens.
    """

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        fields = list(super().get_search_fields(request))
        if fields:
            return fields
        # Nothing in clear: the keyed hashes, compared exactly, so that the admin shows its search
        # box. A term typed there never equals a hash; get_search_results hashes it first.
        return [f"={field.name}" for field in digest_fields(self.model)]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        digests = digest_fields(queryset.model)
        if not term or not digests:
            return found, may_have_duplicates
        match = Q()
        for field in digests:
            match |= Q(**{f"{field.name}__matches": term})
        return found | queryset.filter(match), may_have_duplicates

    def get_sortable_by(self, request: HttpRequest) -> list[str | Callable[[Any], str | bool]]:
        sortable = super().get_sortable_by(request)
        encrypted = {f.name for f in self.model._meta.concrete_fields if is_encrypted(f)}
        return [name for name in sortable if name not in encrypted]
