"""The case admin: the list with its overdue filter, the read-only case page, the add form for
requests received by phone, letter or e-mail, and the actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jsg_privacy import tasks
from jsg_privacy.audit.access import records_own_access
from jsg_privacy.crypto.fields import is_encrypted
from jsg_privacy.flows import subject_data
from jsg_privacy.requests import cases, clock, objection
from jsg_privacy.requests.admin.acknowledgements import (
    AcknowledgementFilter,
    resend_acknowledgement,
)
from jsg_privacy.requests.admin.base import CaseAdminBase
from jsg_privacy.requests.admin.export import export_case
from jsg_privacy.requests.admin.forms import LogRequestForm
from jsg_privacy.requests.admin.inlines import (
    INLINES_BY_KIND,
    CaseEventInline,
    ClarificationInline,
    OverdueFilter,
)
from jsg_privacy.requests.admin.notices import RecipientNoticeInline, retry
from jsg_privacy.requests.admin.steps import VERIFIED, run_task
from jsg_privacy.requests.models import OPEN_STATUSES, Case, Kind, Status
from jsg_privacy.requests.notices import RecipientNotice

CHANGE_FIELDSETS = [
    (None, {"fields": ["reference", "kind", "status", "channel", "user", "email", "details"]}),
    (gettext_lazy("Identity"), {"fields": ["identity_check", "verified_at", "address_status"]}),
    (
        gettext_lazy("Deadline"),
        {
            "fields": [
                "received_at",
                "clock_started_at",
                "clock_state",
                "due_on",
                "paused_days",
                "extended_until",
                "extension_reason",
                "completed_at",
            ]
        },
    ),
    (gettext_lazy("Result"), {"fields": ["outcome_summary", "failure_reason"]}),
]


@admin.register(Case)
class CaseAdmin(CaseAdminBase):
    """Cases are read-only; staff act on them through the actions and the buttons on each case."""

    log_form = LogRequestForm
    log_description = gettext_lazy(
        "Log a request received by phone, letter or e-mail. Say how you checked the "
        "requester's identity: the request is then open, with its due date, at once."
    )
    change_fieldsets = CHANGE_FIELDSETS
    list_display = ["reference", "kind", "status", "channel", "received_at", "deadline", "overdue"]
    list_filter = [OverdueFilter, AcknowledgementFilter, "status", "kind", "channel"]
    # The requester's address is encrypted: an exact address finds its cases by keyed hash. The
    # account's address is searched too while the user model keeps it in clear (get_search_fields).
    actions = [
        "export_zip",
        "erase_after_review",
        "extend_deadline",
        "retry_failed",
        "retry_recipients",
        "stop_marketing",
        resend_acknowledgement,
    ]

    # -- list --

    @admin.display(description=gettext_lazy("overdue"))
    def overdue(self, obj: Case) -> str:
        """ "Overdue" on an overdue case only; a case in time shows nothing."""
        return _("Overdue") if obj.is_overdue else ""

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        """The reference; the account's address too, unless the user model encrypts it (a custom
        user model: docs/encryption.md), when the case's own keyed hash finds it."""
        fields = list(super().get_search_fields(request))
        user = get_user_model()
        try:
            field = user._meta.get_field(user.get_email_field_name())
        except FieldDoesNotExist:
            return fields
        return fields if is_encrypted(field) else [*fields, f"user__{field.name}"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        """Requests only: complaints have their own list (:mod:`.complaints`)."""
        return super().get_queryset(request).exclude(kind=Kind.COMPLAINT)

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return []
        return [
            CaseEventInline,
            ClarificationInline,
            *INLINES_BY_KIND.get(obj.kind, []),
            RecipientNoticeInline,
        ]

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        if change:
            raise PermissionDenied
        data = form.cleaned_data
        case = cases.open_case(
            kind=data["kind"],
            email=data["email"],
            channel=data["channel"],
            user=data.get("user"),
            details=data.get("details", ""),
            identity_check=data["identity_check"],
            address_check=data.get("address_check", ""),
            actor=request.user,
        )
        self.adopt(obj, case)

    def response_add(
        self, request: HttpRequest, obj: Case, post_url_continue: Any = None
    ) -> HttpResponse:
        messages.success(
            request,
            _("Logged %(ref)s, due %(date)s.") % {"ref": obj.reference, "date": obj.deadline},
        )
        return self._back(obj)

    # -- the case page --

    @admin.display(description=gettext_lazy("e-mail address proven"))
    def address_status(self, obj: Case) -> str:
        """Whether records found only by the address are included, and which ones are not."""
        if cases.address_proven(obj):
            if obj.email_confirmed_at is not None:
                return _("Yes, for this request (%(date)s).") % {"date": obj.email_confirmed_at}
            return _("Yes: the account's address is proven.")
        left_out = subject_data.found_only_by_address(obj.user_id, obj.email)
        found = format_html_join(
            "", "<li>{}: {}</li>", sorted((label, count) for label, count in left_out.items())
        )
        if obj.status in OPEN_STATUSES:
            what = _(
                "No. Records found only through this address are left out of exports, erasure, "
                "correction and restriction until the requester proves it (send them a "
                "confirmation link), or you record how they did. Found only by the address now:"
            )
        else:
            what = _(
                "No. Records found only through this address were left out. Found only by the "
                "address now:"
            )
        return format_html("{}<ul>{}</ul>", what, found or format_html("<li>{}</li>", _("nothing")))

    @admin.display(description=gettext_lazy("clock (Art. 12A)"))
    def clock_state(self, obj: Case) -> str:
        """Whether the clock runs, has not started, or is paused, and what that does to the date."""
        if obj.clock_started_at is None:
            return _("Not started: it starts when the requester's identity is confirmed.")
        if obj.paused_since is not None:
            return _(
                "Paused since %(date)s, waiting for the requester's answer: each day paused is "
                "added to the due date when they answer."
            ) % {"date": obj.paused_since}
        if obj.paused_days:
            return _("Running; %(days)d days paused so far have been added to the due date.") % {
                "days": obj.paused_days
            }
        return _("Running.")

    @admin.display(description=gettext_lazy("outcome"))
    def outcome_summary(self, obj: Case) -> str:
        outcome = dict(obj.outcome or {})
        steps = outcome.pop("steps", None)
        search = outcome.pop("search_record", None)
        parts = [search_record_html(search)] if search else []
        if steps:
            rows = format_html_join(
                "", "<tr><td>{}</td><td>{}</td></tr>", ((s["label"], s["action"]) for s in steps)
            )
            parts.append(format_html("<table>{}</table>", rows))
        if outcome:
            items = format_html_join("", "<li>{}: {}</li>", sorted(outcome.items()))
            parts.append(format_html("<ul>{}</ul>", items))
        return format_html_join("", "{}", ((p,) for p in parts)) or "-"

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        case = self.get_object(request, object_id)
        tools = self._tools(request, case) if case is not None else []
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "case_tools": tools}
        )

    def _tools(self, request: HttpRequest, case: Case) -> list[dict[str, Any]]:
        """The steps staff can take on this case now: (label, url, posted?)."""
        if not self.has_change_permission(request):
            return []
        verified = case.status in VERIFIED
        needs_address = (
            bool(case.email)
            and case.status not in (Status.COMPLETED, Status.REFUSED)
            and not cases.address_proven(case)
        )
        tools: list[tuple[bool, str, str, bool]] = [
            (case.verified_at is not None, _("Export personal data (ZIP)"), "export", True),
            (verified and case.kind == Kind.ERASURE, _("Erase… (review the plan)"), "erase", False),
            (verified and case.extended_until is None, _("Extend…"), "extend", False),
            (
                verified and case.paused_since is None,
                _("Ask for clarification (pauses the clock)…"),
                "clarify",
                False,
            ),
            (
                verified and case.paused_since is not None,
                _("Record the requester's answer…"),
                "answer",
                False,
            ),
            (
                verified and clock.may_close(case),
                _("Close: no answer (sends a letter)…"),
                "no-reply",
                False,
            ),
            (
                verified and case.kind == Kind.RESTRICTION,
                _("Restrict processing…"),
                "restrict",
                False,
            ),
            (
                case.kind == Kind.OBJECTION
                and case.status not in (Status.COMPLETED, Status.REFUSED),
                _("Record the objection…"),
                "object",
                False,
            ),
            (
                verified and case.objections.filter(decided_at__isnull=True).exists(),
                _("Decide the objection…"),
                "decide",
                False,
            ),
            (verified and case.kind == Kind.RECTIFICATION, _("Correct data…"), "correct", False),
            (
                needs_address and case.status != Status.UNVERIFIED,
                _("E-mail a link to confirm the address"),
                "address-link",
                True,
            ),
            (needs_address, _("Record how the address was proven…"), "address-proof", False),
            (verified and case.kind == Kind.RECTIFICATION, _("Mark completed"), "complete", True),
        ]
        return [
            {"label": label, "url": self._url(case, step), "post": post}
            for show, label, step, post in tools
            if show
        ]

    # -- actions --

    def _one(self, request: HttpRequest, queryset: QuerySet[Case]) -> Case | None:
        if queryset.count() != 1:
            messages.warning(request, _("Select exactly one request for this action."))
            return None
        return queryset.get()

    @records_own_access  # export_case logs the export with what it held
    @admin.action(description=gettext_lazy("Export personal data (ZIP)"), permissions=["change"])
    def export_zip(self, request: HttpRequest, queryset: QuerySet) -> HttpResponseBase | None:
        case = self._one(request, queryset)
        return export_case(request, case) if case else None

    @admin.action(description=gettext_lazy("Erase (review the plan first)"), permissions=["change"])
    def erase_after_review(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        case = self._one(request, queryset)
        return HttpResponseRedirect(self._url(case, "erase")) if case else None

    @admin.action(
        description=gettext_lazy("Extend the deadline (with reason)"), permissions=["change"]
    )
    def extend_deadline(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        case = self._one(request, queryset)
        return HttpResponseRedirect(self._url(case, "extend")) if case else None

    @admin.action(
        description=gettext_lazy("Retry failed exports and erasures"), permissions=["change"]
    )
    def retry_failed(self, request: HttpRequest, queryset: QuerySet) -> None:
        runs: dict[str, Callable[..., Any]] = {
            Kind.ACCESS: tasks.export_case,
            Kind.PORTABILITY: tasks.export_case,
            Kind.ERASURE: tasks.erase_case,
        }
        retried = skipped = 0
        for case in queryset.filter(status=Status.FAILED):
            task = runs.get(case.kind)
            if task is None:
                skipped += 1
                continue
            cases.audit(case, "retry requested", actor=request.user)
            args = (case.pk, request.user.pk) if task is tasks.erase_case else (case.pk,)
            run_task(task, *args)
            retried += 1
        skipped += queryset.exclude(status=Status.FAILED).count()
        messages.info(
            request,
            _("Retried %(retried)d; %(skipped)d not failed or not retryable.")
            % {"retried": retried, "skipped": skipped},
        )

    @admin.action(
        description=gettext_lazy("Retry telling the recipients (Art. 19)"), permissions=["change"]
    )
    def retry_recipients(self, request: HttpRequest, queryset: QuerySet) -> None:
        retry(request, RecipientNotice.objects.filter(case__in=queryset))

    @admin.action(
        description=gettext_lazy("Objection to marketing: stop it at once"), permissions=["change"]
    )
    def stop_marketing(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = 0
        for case in queryset.filter(kind=Kind.OBJECTION).exclude(
            status__in=[Status.COMPLETED, Status.REFUSED]
        ):
            objection.object_to_marketing(cases.stated_subject(case), case=case, actor=request.user)
            done += 1
        messages.success(request, _("Marketing stopped for %(count)d requests.") % {"count": done})


def search_record_html(search: dict[str, Any]) -> str:
    """The search record of an export (Art. 15(1A)): searched, left out and why, redactions."""
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (e["label"], e["system"], ", ".join(e["found_by"]), e["rows"])
            for e in search.get("searched", [])
        ),
    )
    head = format_html(
        "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        _("searched"),
        _("kind"),
        _("looked for by"),
        _("rows found"),
    )
    lists = [
        (_("Not searched"), search.get("excluded", []), "reason"),
        (_("Could not be reached"), search.get("unavailable", []), "reason"),
    ]
    notes = format_html_join(
        "",
        "<p>{}:</p><ul>{}</ul>",
        (
            (title, format_html_join("", "<li>{}: {}</li>", ((e["label"], e[key]) for e in items)))
            for title, items, key in lists
            if items
        ),
    )
    redactions = format_html_join(
        "",
        "<li>{}, {}: {} ({})</li>",
        ((e["label"], e["field"], e["count"], e["type"]) for e in search.get("redactions", [])),
    )
    return format_html(
        "<p>{}</p><table>{}{}</table>{}<p>{}</p><ul>{}</ul>",
        _("Search record (Art. 15(1A))"),
        head,
        rows,
        notes,
        _("Redactions"),
        redactions or format_html("<li>{}</li>", _("none")),
    )
