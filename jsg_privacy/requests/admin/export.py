"""The one-click export: a subject's ZIP as a download, audited on a case.

:func:`export_user_personal_data` is an admin action for any user admin, and
:class:`PersonalDataExportMixin` puts it as a button on the user's change page;
:func:`export_response` streams a subject's ZIP from a temporary file for a shop's own views.
"""

from __future__ import annotations

import logging
import tempfile
from typing import Any, cast

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jsg_privacy.audit import access
from jsg_privacy.flows import export, subject_data
from jsg_privacy.registry import Subject
from jsg_privacy.requests import cases
from jsg_privacy.requests.models import OPEN_STATUSES, Case, Channel, Kind, Status

logger = logging.getLogger("jsg_privacy.requests")

#: What a case opened by the one-click export from a user admin records as its identity check.
STAFF_EXPORT_CHECK = "staff export from the admin: the account holder, as held on record"


def export_response(
    subject: Subject, filename: str, *, address_withheld: bool = False
) -> tuple[FileResponse, export.Summary]:
    """The subject's ZIP as a download, written to a temporary file and streamed from it.

    The file is deleted when the response is closed.
    """
    handle = tempfile.TemporaryFile(prefix="jsg-export-", suffix=".zip")  # noqa: SIM115
    try:
        summary = export.export(subject, handle, address_withheld=address_withheld)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/zip"
    )
    return response, summary


def export_case(request: HttpRequest, case: Case) -> HttpResponseBase | None:
    """Staff download of a verified case's ZIP, audited; ``None`` (with a message) if refused."""
    if case.status == Status.UNVERIFIED or case.verified_at is None:
        messages.error(
            request,
            _("%(ref)s: identity is not confirmed yet, so no data.") % {"ref": case.reference},
        )
        return None
    try:
        subject = cases.subject_of(case)
    except cases.CaseError as exc:
        messages.error(request, str(exc))
        return None
    left_out = (
        subject_data.found_only_by_address(case.user_id, case.email) if not subject.email else {}
    )
    try:
        response, summary = export_response(
            subject,
            f"{case.reference}-personal-data.zip",
            address_withheld=cases.address_withheld(case),
        )
    except Exception as exc:
        logger.exception("Staff export of case %s failed", case.reference)
        messages.error(request, _("The export failed: %(error)s.") % {"error": type(exc).__name__})
        return None
    detail = f"{summary.total} records from {len(summary.rows)} sources"
    if left_out:
        detail += f"; {sum(left_out.values())} found only by the unproven address left out"
        advice = (
            _("Send the requester a confirmation link from the case.")
            if case.status in OPEN_STATUSES
            else _(
                "Ask the customer to confirm their address (the “E-mail me a confirmation "
                "link” button on their “Your data” page), then export again."
            )
        )
        messages.warning(
            request,
            _(
                "%(ref)s: the address is not proven, so %(count)d records found only through it "
                "were left out (%(where)s). %(advice)s"
            )
            % {
                "ref": case.reference,
                "count": sum(left_out.values()),
                "where": ", ".join(f"{label}: {n}" for label, n in sorted(left_out.items())),
                "advice": advice,
            },
        )
    cases.audit(case, "exported by staff", actor=request.user, detail=detail)
    cases.record_search(case, summary.search_record, actor=request.user)
    access.record_export(
        request,
        subject,
        f"{summary.total} records from {len(summary.rows)} sources",
        model=Case._meta.label,
        object_id=case.pk,
    )
    return response


@access.records_own_access  # the export is logged with what it held (record_export)
@admin.action(description=gettext_lazy("Export personal data (ZIP)"))
def export_user_personal_data(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponseBase | None:
    """One click on one user: their ZIP, recorded as a completed access case opened by staff."""
    if not request.user.has_perm(f"{Case._meta.app_label}.add_case"):
        messages.error(request, _("You may not open data-subject requests."))
        return None
    if queryset.count() != 1:
        messages.warning(request, _("Select exactly one person to export their data."))
        return None
    user = queryset.get()
    case = cases.open_case(
        kind=Kind.ACCESS,
        email=str(getattr(user, "email", "") or ""),
        channel=Channel.STAFF,
        user=user,
        details=_("Exported by staff from the admin."),
        identity_check=STAFF_EXPORT_CHECK,
        actor=request.user,
    )
    response = export_case(request, case)
    if response is None:
        cases.fail(case, _("The export failed."), actor=request.user)
    else:
        outcome = {**(case.outcome or {}), "exported_by_staff": True}
        cases.complete(case, outcome, actor=request.user)
    return response


class PersonalDataExportMixin(admin.ModelAdmin):
    """A user admin's change page gets an **Export personal data** button (besides the action).

    The button posts (CSRF-protected) to ``<id>/export-personal-data/``, which needs the change
    permission on the user and the add permission on requests, and answers with the ZIP — or goes
    back to the page with a message saying why not.
    """

    def get_urls(self) -> list[Any]:
        opts = self.opts
        name = f"{opts.app_label}_{opts.model_name}_export_personal_data"
        view = self.admin_site.admin_view(self.export_personal_data_view)
        own = [path("<path:object_id>/export-personal-data/", view, name=name)]
        return own + super().get_urls()

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        """The page as the admin renders it, inside a template that adds the button."""
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            shown = response.template_name
            names = [shown] if isinstance(shown, str) else list(cast("list[str]", shown))
            base = select_template(names).template
            response.context_data["jsg_privacy_base_change_form"] = base
            response.template_name = "admin/jsg_privacy/export_button_change_form.html"
        return response

    @method_decorator(require_POST)
    def export_personal_data_view(self, request: HttpRequest, object_id: str) -> HttpResponseBase:
        user = self.get_object(request, object_id)
        if user is None or not self.has_change_permission(request, user):
            raise PermissionDenied
        found = self.get_queryset(request).filter(pk=user.pk)
        response = cast("HttpResponseBase | None", export_user_personal_data(self, request, found))
        if response is None:
            opts = self.opts
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", user.pk)
        return response
