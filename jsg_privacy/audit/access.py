"""The staff access log: who viewed or exported whose personal data, when, and which fields.

A ``ModelAdmin`` of a declared model records every page that shows a customer's record either by
inheriting :class:`AuditedAdminMixin` or, without touching the shop's admins, through
:func:`audit_admin_site`, which wraps the ``change_view`` of every declared model's admin on a
site. Exports are recorded with :func:`record_export`. The customer is stored only as a keyed hash
(:mod:`jsg_privacy.consent.subjects`), never as an address.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse

from jsg_privacy.audit.models import StaffAccess
from jsg_privacy.consent import subjects
from jsg_privacy.registry import ModelSource, Subject, registry
from jsg_privacy.registry.paths import resolve_value

_WRAPPED = "_jsg_privacy_audited"


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


def _staff(request_or_user: Any) -> Any:
    user = getattr(request_or_user, "user", request_or_user)
    return user if getattr(user, "is_authenticated", False) else None


def record_view(
    staff: Any, obj: models.Model, shown: Iterable[str], source: ModelSource | None = None
) -> StaffAccess | None:
    """Record that ``staff`` was shown ``obj``'s personal fields among ``shown``.

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
        staff=_staff(staff),
        action=StaffAccess.Action.VIEW,
        subject_key=key,
        model=source.key,
        object_id=str(obj.pk),
        fields=", ".join(fields),
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
        staff=_staff(staff),
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
    record_view(request, obj, model_admin.get_fields(request, obj), source)


class AuditedAdminMixin:
    """For the ``ModelAdmin`` of a declared model: each change page shown is logged.

    Put it first: ``class OrderAdmin(AuditedAdminMixin, admin.ModelAdmin)``.
    """

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        _record_change_view(self, request, response)  # type: ignore[arg-type]
        return response


def audit_model_admin(model_admin: admin.ModelAdmin) -> bool:
    """Wrap one admin's ``change_view`` if its model is declared; ``True`` if it is audited now."""
    if isinstance(model_admin, AuditedAdminMixin) or getattr(model_admin, _WRAPPED, False):
        return True
    if model_admin.model is StaffAccess or registry.source_for(model_admin.model) is None:
        return False  # reading the log itself is not logged
    original = model_admin.change_view

    @functools.wraps(original)
    def change_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = original(request, *args, **kwargs)
        _record_change_view(model_admin, request, response)
        return response

    model_admin.change_view = change_view  # type: ignore[method-assign]
    setattr(model_admin, _WRAPPED, True)
    return True


def audit_admin_site(site: admin.AdminSite | None = None) -> None:
    """Audit the change pages of every declared model registered on ``site`` (default: the admin).

    The wrapping happens when the site builds its URLs (``site.urls`` in the URLconf, loaded on the
    first request), so it does not matter whether ``django.contrib.admin`` autodiscovered the admins
    before or after this is called, and admins registered later are covered too. Idempotent.
    """
    site = site or admin.site
    if getattr(site, _WRAPPED, False):
        return
    build_urls = site.get_urls

    @functools.wraps(build_urls)
    def get_urls() -> list[Any]:
        for model_admin in site._registry.values():
            audit_model_admin(model_admin)
        return build_urls()

    site.get_urls = get_urls  # type: ignore[method-assign]
    setattr(site, _WRAPPED, True)
