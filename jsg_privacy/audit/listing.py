"""The staff access log of list pages, searches and admin actions: many people's rows at once.

:func:`record_rows` writes one entry per person shown (keyed hashes, never values), in one bulk
insert; :func:`record_changelist` and :func:`audited_actions` decide what a change list and an
action showed (:mod:`jsg_privacy.audit.shown`). The admin wiring is in
:mod:`jsg_privacy.audit.access`.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import model_format_dict
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone

from jsg_privacy.audit.models import StaffAccess
from jsg_privacy.audit.shown import (
    CONTEXT_LENGTH,
    describe_page,
    join_ids,
    listed_fields,
    search_kind,
    subjects_of,
)
from jsg_privacy.registry import ModelSource, registry

#: Set on an admin action that records its own access (an export), so it is not recorded twice.
_RECORDS_ITSELF = "_jsg_privacy_records_access"
_AUDITED = "_jsg_privacy_audited"


def staff_of(request_or_user: Any) -> Any:
    """The signed-in staff member of a request (or a user itself); ``None`` if anonymous."""
    user = getattr(request_or_user, "user", request_or_user)
    return user if getattr(user, "is_authenticated", False) else None


def record_rows(
    staff: Any,
    source: ModelSource,
    rows: models.QuerySet | Iterable[models.Model],
    *,
    action: str,
    fields: Iterable[str] = (),
    context: str = "",
) -> list[StaffAccess]:
    """Record that ``staff`` was shown ``rows`` of ``source`` at once (a list page, search results,
    an action's selection): one entry per person whose rows they were, naming their rows.

    One ``INSERT`` for a page (a bulk insert), plus one query when the rows do not hold their
    subject's link themselves. Rows that belong to nobody identifiable are not recorded.
    """
    by_subject = subjects_of(source, rows)
    at, who, shown = timezone.now(), staff_of(staff), ", ".join(fields)
    return StaffAccess.objects.bulk_create(
        StaffAccess(
            at=at,
            staff=who,
            action=action,
            subject_key=key,
            model=source.key,
            object_id=join_ids(ids),
            fields=shown,
            context=context[:CONTEXT_LENGTH],
        )
        for key, ids in by_subject.items()
    )


def records_own_access(action: Callable[..., Any]) -> Callable[..., Any]:
    """Mark an admin action that records the access itself (with :func:`record_export`), so the
    audited admin does not record its selection a second time."""
    setattr(action, _RECORDS_ITSELF, True)
    return action


def record_changelist(
    model_admin: admin.ModelAdmin, request: HttpRequest, response: HttpResponse
) -> None:
    """After a change list was built (before it is rendered): record the people on the page, if it
    shows their personal fields or was found by a search."""
    context = getattr(response, "context_data", None) or {}
    changelist = context.get("cl")
    source = registry.source_for(model_admin.model)
    if response.status_code != 200 or changelist is None or source is None:
        return
    shown = listed_fields(model_admin, request, source)
    searched = bool((changelist.query or "").strip())
    if not shown and not searched:
        return
    # The page's rows, fetched now rather than while rendering: the template reuses them.
    rows = list(changelist.result_list)
    if rows:
        record_rows(
            request,
            source,
            rows,
            action=StaffAccess.Action.SEARCH if searched else StaffAccess.Action.LIST,
            fields=shown,
            context=describe_page(changelist),
        )


def _audited_action(
    action: Callable[..., Any], description: str, source: ModelSource
) -> Callable[..., Any]:
    """``action``, recording its selection when it answers with a page or a file (a redirect back
    to the list, after a status change say, shows nothing)."""
    if getattr(action, _RECORDS_ITSELF, False) or getattr(action, _AUDITED, False):
        return action

    @functools.wraps(action)
    def run(model_admin: Any, request: HttpRequest, queryset: models.QuerySet) -> Any:
        response = action(model_admin, request, queryset)
        if isinstance(response, HttpResponseBase) and response.status_code == 200:
            attachment = "attachment" in response.get("Content-Disposition", "")
            record_rows(
                request,
                source,
                queryset,
                action=StaffAccess.Action.EXPORT if attachment else StaffAccess.Action.ACTION,
                context=f"action: {description}",
            )
        return response

    setattr(run, _AUDITED, True)
    return run


def audited_actions(model_admin: admin.ModelAdmin, actions: dict[str, Any]) -> dict[str, Any]:
    """``ModelAdmin.get_actions()`` with each action recording what it showed (see above)."""
    source = registry.source_for(model_admin.model)
    if source is None:
        return actions
    names = model_format_dict(model_admin.opts)
    audited: dict[str, Any] = {}
    for name, action in actions.items():
        if isinstance(action, tuple):  # Django 5.2: (function, name, description)
            func, action_name, description = action
            run = _audited_action(func, _label(description, names), source)
            audited[name] = (run, action_name, description)
        else:  # Django 6.1: an Action dataclass
            run = _audited_action(action.func, _label(action.description, names), source)
            audited[name] = dataclasses.replace(action, func=run)
    return audited


def _label(description: Any, names: Mapping[str, Any]) -> str:
    """An action's description as the admin shows it ("Delete selected orders")."""
    try:
        return str(description) % names
    except (KeyError, TypeError, ValueError):
        return str(description)


def record_autocomplete(
    site: admin.AdminSite, request: HttpRequest, response: HttpResponse
) -> None:
    """After the admin's autocomplete (``autocomplete_fields``) answered: record the people whose
    rows it named, found by a search or listed (an empty term lists the first rows)."""
    if response.status_code != 200:
        return
    try:
        term, model_admin, _field, to_field = AutocompleteJsonView(admin_site=site).process_request(
            request
        )
    except (PermissionDenied, Http404):
        return
    source = registry.source_for(model_admin.model)
    ids = [row["id"] for row in json.loads(response.content).get("results", ())]
    if source is None or not ids or model_admin.model is StaffAccess:
        return
    kind = search_kind(term)
    record_rows(
        request,
        source,
        model_admin.model._base_manager.filter(**{f"{to_field}__in": ids}),
        action=StaffAccess.Action.SEARCH if kind else StaffAccess.Action.LIST,
        context=f"autocomplete, search by {kind}" if kind else "autocomplete",
    )
