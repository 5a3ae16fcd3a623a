"""The staff access log: who viewed or exported whose personal data, when, and which fields.

A ``ModelAdmin`` of a declared model records every page that shows customers' personal data — a
record's change page, a page of its change list or search results, an action run on selected rows
that answers with a page or a file — either by inheriting :class:`AuditedAdminMixin` or, without
touching the shop's admins, through :func:`audit_admin_site`, which wraps the ``change_view``,
``changelist_view`` and actions of every declared model's admin on a site. Exports are recorded with
:func:`record_export`. The customer is stored only as a keyed hash
(:mod:`jsg_privacy.crypto.subjects`), never as an address; a search is described by the kind of
term, never the term.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.utils import flatten
from django.db import models
from django.http import HttpRequest, HttpResponse

from jsg_privacy.audit import listing
from jsg_privacy.audit.listing import record_rows, records_own_access
from jsg_privacy.audit.models import StaffAccess
from jsg_privacy.audit.shown import CONTEXT_LENGTH
from jsg_privacy.crypto import subjects
from jsg_privacy.registry import ModelSource, Subject, registry
from jsg_privacy.registry.paths import resolve_value

_WRAPPED = "_jsg_privacy_audited"

__all__ = [
    "AuditedAdminMixin",
    "audit_admin_site",
    "audit_model_admin",
    "for_subject",
    "key_of",
    "record_export",
    "record_rows",
    "record_view",
    "records_own_access",
    "subject_key",
]


def subject_key(source: ModelSource, obj: models.Model) -> str:
    """Whose row ``obj`` is: the key of its user, else of its e-mail address; ``""`` if nobody's."""
    path = source.subject_path
    if path:
        user = obj if path == "self" else resolve_value(obj, path)
        if user is not None:
            return subjects.for_user(user)
    if source.subject_email:
        email = resolve_value(obj, source.subject_email)
        if email:
            return subjects.for_email(str(email))
    return ""


def key_of(subject: Subject) -> str:
    """The key of a subject: by account if it has one, else by e-mail address."""
    if subject.user_id is not None:
        return subjects.for_user(subject.user_id)
    return subjects.for_email(subject.email)


def record_view(
    staff: Any,
    obj: models.Model,
    shown: Iterable[str],
    source: ModelSource | None = None,
    *,
    context: str = "",
) -> StaffAccess | None:
    """Record that ``staff`` was shown ``obj``'s personal fields among ``shown`` (``context``: which
    page, e.g. ``"erasure plan"``).

    Returns ``None`` (recording nothing) when the model is not declared, the page showed none of its
    personal fields, or the row belongs to nobody identifiable.
    """
    source = source or registry.source_for(type(obj))
    if source is None:
        return None
    shown = set(shown)
    fields = [name for name in source.personal_fields() if name in shown]
    key = subject_key(source, obj) if fields else ""
    if not key:
        return None
    return StaffAccess.objects.create(
        staff=listing.staff_of(staff),
        action=StaffAccess.Action.VIEW,
        subject_key=key,
        model=source.key,
        object_id=str(obj.pk),
        fields=", ".join(fields),
        context=context[:CONTEXT_LENGTH],
    )


def record_export(
    staff: Any,
    subject: Subject,
    what: str | Iterable[str] = "all personal data (ZIP)",
    *,
    model: str = "",
    object_id: Any = "",
) -> StaffAccess:
    """Record that ``staff`` (a user or a request) exported ``subject``'s data: ``what`` in words."""
    return StaffAccess.objects.create(
        staff=listing.staff_of(staff),
        action=StaffAccess.Action.EXPORT,
        subject_key=key_of(subject),
        model=model,
        object_id=str(object_id or ""),
        fields=what if isinstance(what, str) else ", ".join(what),
    )


def for_subject(subject: Subject) -> models.QuerySet[StaffAccess]:
    """Every access to ``subject``'s data, by account and by e-mail address."""
    return StaffAccess.objects.filter(subject_key__in=subjects.keys_for(subject))


def _record_change_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, response: HttpResponse
) -> None:
    """After a change page was rendered: record it if it showed a customer's record (GET, 200)."""
    if request.method != "GET" or response.status_code != 200:
        return
    context = getattr(response, "context_data", None) or {}
    obj = context.get("original")
    source = registry.source_for(model_admin.model)
    if obj is None or source is None:
        return
    # flatten: fields shown on one line are a tuple in ``fields`` ([("name", "email"), ...]).
    shown = flatten(model_admin.get_fields(request, obj))
    record_view(request, obj, shown, source, context="change page")


if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin[Any]  # what the mixin is mixed into, for the type checker
else:
    _AdminBase = object


class AuditedAdminMixin(_AdminBase):
    """For the ``ModelAdmin`` of a declared model: each change page, list or search page showing
    personal data, and each action answering with a page or a file, is logged.

    Put it first: ``class OrderAdmin(AuditedAdminMixin, admin.ModelAdmin)``.
    """

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        _record_change_view(self, request, response)
        return response

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        listing.record_changelist(self, request, response)
        return response

    def get_actions(self, request: HttpRequest, action_location: Any = None) -> dict[str, Any]:
        # Django 6.1 passes where the actions show (``action_location``); 5.2 knows no such thing.
        actions = (
            super().get_actions(request)
            if action_location is None
            else super().get_actions(request, action_location=action_location)  # type: ignore[call-arg,unused-ignore]
        )
        return listing.audited_actions(self, actions)


def _after(
    view: Callable[..., HttpResponse],
    record: Callable[[admin.ModelAdmin, HttpRequest, HttpResponse], None],
    model_admin: admin.ModelAdmin,
) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def audited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        record(model_admin, request, response)
        return response

    return audited


def audit_model_admin(model_admin: admin.ModelAdmin) -> bool:
    """Wrap one admin's change page, change list and actions if its model is declared; ``True`` if
    it is audited now."""
    if isinstance(model_admin, AuditedAdminMixin) or getattr(model_admin, _WRAPPED, False):
        return True
    if model_admin.model is StaffAccess or registry.source_for(model_admin.model) is None:
        return False  # reading the log itself is not logged
    get_actions = model_admin.get_actions

    # functools.wraps: Django 6.1 reads the signature of the admin's own get_actions to know whether
    # to pass ``action_location``; this wrapper takes it either way.
    @functools.wraps(get_actions)
    def audited_actions(request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return listing.audited_actions(model_admin, get_actions(request, *args, **kwargs))

    # This admin only:
    model_admin.change_view = _after(model_admin.change_view, _record_change_view, model_admin)  # type: ignore[method-assign]
    model_admin.changelist_view = _after(  # type: ignore[method-assign]
        model_admin.changelist_view, listing.record_changelist, model_admin
    )
    model_admin.get_actions = audited_actions  # type: ignore[method-assign]
    setattr(model_admin, _WRAPPED, True)
    return True


def audit_admin_site(site: admin.AdminSite | None = None) -> None:
    """Audit the change pages, change lists and actions of every declared model registered on
    ``site`` (default: the admin), and its autocomplete.

    The wrapping happens when the site builds its URLs (``site.urls`` in the URLconf, loaded on the
    first request), so it does not matter whether ``django.contrib.admin`` autodiscovered the admins
    before or after this is called, and admins registered later are covered too. Idempotent.
    """
    site = site or admin.site
    if getattr(site, _WRAPPED, False):
        return
    build_urls = site.get_urls
    autocomplete = site.autocomplete_view

    @functools.wraps(autocomplete)
    def autocomplete_view(request: HttpRequest) -> HttpResponse:
        response = autocomplete(request)
        listing.record_autocomplete(site, request, response)
        return response

    @functools.wraps(build_urls)
    def get_urls() -> list[Any]:
        for model_admin in site._registry.values():
            audit_model_admin(model_admin)
        return build_urls()

    site.autocomplete_view = autocomplete_view  # type: ignore[method-assign]  # this site only
    site.get_urls = get_urls  # type: ignore[method-assign]  # this site only
    setattr(site, _WRAPPED, True)
