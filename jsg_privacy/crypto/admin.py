"""Admin search on encrypted models: an exact e-mail address finds its rows through the keyed hash."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from jsg_privacy.crypto.fields import digest_fields


class KeyedHashSearchMixin:
    """Mix into a ``ModelAdmin``: a search term also matches every ``KeyedHashField`` exactly.

    ``search_fields`` keeps working for the fields in clear (a reference, a name); encrypted fields
    must not be listed there (check ``jsg_privacy.E015``). Searching for ``Jo@Example.com`` then
    finds the rows whose encrypted e-mail is that address, without decrypting anything.
    """

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        found, may_have_duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        term = search_term.strip()
        digests = digest_fields(queryset.model)
        if not term or not digests:
            return found, may_have_duplicates
        match = Q()
        for field in digests:
            match |= Q(**{f"{field.name}__matches": term})
        if not self.get_search_fields(request):  # type: ignore[attr-defined]
            return queryset.filter(match), may_have_duplicates  # super() did not filter
        return found | queryset.filter(match), may_have_duplicates
