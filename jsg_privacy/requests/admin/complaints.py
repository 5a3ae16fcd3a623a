"""The complaints admin (DPA 2018 s.164A): the list with its overdue filter, complaints logged by
staff from a call or a letter, and the letters — acknowledgement, progress updates, the outcome
(always with the ICO route) — each sent from the complaint's page and kept as sent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jsg_privacy.requests import complaints
from jsg_privacy.requests.admin.base import CaseAdminBase
from jsg_privacy.requests.admin.forms import STAFF_CHANNELS
from jsg_privacy.requests.admin.inlines import CaseEventInline, CaseInline, OverdueFilter
from jsg_privacy.requests.cases import CaseError
from jsg_privacy.requests.models import Case, Complaint, Letter, Status

FIELDSETS = [
    (None, {"fields": ["reference", "status", "channel", "user", "email", "details"]}),
    (
        gettext_lazy("Deadline"),
        {"fields": ["received_at", "acknowledged_at", "due_on", "completed_at"]},
    ),
]


class LogComplaintForm(forms.ModelForm):
    channel = forms.ChoiceField(
        label=gettext_lazy("received by"), choices=[(c.value, c.label) for c in STAFF_CHANNELS]
    )
    acknowledgement = forms.CharField(
        label=gettext_lazy("acknowledgement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "E-mailed to the complainant as soon as you save. Leave empty for the standard "
            "acknowledgement: it gives the reference, what happens next and the ICO route."
        ),
    )

    class Meta:
        model = Complaint
        fields = ["channel", "email", "user", "details", "acknowledgement"]


class TextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 10})
    )


class LetterInline(CaseInline):
    model = Letter
    fields = ["sent_at", "kind", "sent_by", "subject", "body"]
    verbose_name_plural = gettext_lazy("letters to the complainant, as sent")


@admin.register(Complaint)
class ComplaintAdmin(CaseAdminBase):
    log_form = LogComplaintForm
    log_description = gettext_lazy(
        "Log a complaint received by phone, letter or e-mail. The complainant is e-mailed the "
        "acknowledgement as soon as you save."
    )
    change_fieldsets = FIELDSETS
    list_display = ["reference", "status", "channel", "received_at", "acknowledged", "deadline"]
    list_filter = [OverdueFilter, "status", "channel"]
    inlines = [LetterInline, CaseEventInline]

    @admin.display(description=gettext_lazy("acknowledged"), boolean=True)
    def acknowledged(self, obj: Case) -> bool:
        return obj.acknowledged_at is not None

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [] if obj is None else list(self.inlines)

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        if change:
            raise PermissionDenied
        data = form.cleaned_data
        case = complaints.receive(
            email=data["email"],
            details=data["details"],
            channel=data["channel"],
            user=data.get("user"),
            actor=request.user,
            acknowledgement=data.get("acknowledgement") or None,
        )
        self.adopt(obj, case)

    def response_add(
        self, request: HttpRequest, obj: Case, post_url_continue: Any = None
    ) -> HttpResponse:
        if obj.acknowledged_at is None:
            messages.warning(
                request,
                _("Logged %(ref)s, but the acknowledgement could not be e-mailed: send it again.")
                % {"ref": obj.reference},
            )
        else:
            messages.success(
                request, _("Logged %(ref)s and acknowledged it.") % {"ref": obj.reference}
            )
        return self._back(obj)

    # -- the complaint page and its steps --

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        case = self.get_object(request, object_id)
        tools = []
        if case is not None and self.has_change_permission(request):
            open_ = case.status == Status.OPEN
            steps = [
                (case.acknowledged_at is None, _("Send the acknowledgement…"), "acknowledge"),
                (open_, _("Send a progress update…"), "update"),
                (open_, _("Send the outcome (with the ICO route)…"), "outcome"),
            ]
            tools = [
                {"label": label, "url": self._url(case, step), "post": False}
                for show, label, step in steps
                if show
            ]
        context = {**(extra_context or {}), "case_tools": tools}
        return super().change_view(request, object_id, form_url, context)

    def step_views(self) -> dict[str, Any]:
        return {
            "acknowledge": self.acknowledge_view,
            "update": self.update_view,
            "outcome": self.outcome_view,
        }

    def _letter(self, request: HttpRequest, object_id: str, kind: str) -> HttpResponse:
        case = self._case(request, object_id)
        initial = {}
        if kind == "acknowledge":
            initial = {"text": complaints.acknowledgement_text(case)}
        form = TextForm(request.POST or None, initial=initial)
        send = {
            "acknowledge": complaints.acknowledge,
            "update": complaints.update,
            "outcome": complaints.outcome,
        }[kind]

        def run(data: dict[str, Any]) -> str:
            try:
                send(case, data["text"], actor=request.user)
            except OSError as exc:
                raise CaseError(
                    _("The e-mail could not be sent; nothing was recorded. Try again later.")
                ) from exc
            return _("%(ref)s: sent to the complainant.") % {"ref": case.reference}

        titles = {
            "acknowledge": _("Acknowledge %(ref)s"),
            "update": _("A progress update on %(ref)s"),
            "outcome": _("The outcome of %(ref)s"),
        }
        intros = {
            "acknowledge": _("Edit the acknowledgement if you wish; it is e-mailed as it is."),
            "update": _("Tell the complainant where the investigation stands."),
            "outcome": _(
                "What you found and what you have done. The letter always ends with the "
                "complainant's right to complain to the ICO, and the complaint is closed."
            ),
        }
        title = titles[kind] % {"ref": case.reference}
        return self._step(request, case, form, title, run, intros[kind])

    def acknowledge_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._letter(request, object_id, "acknowledge")

    def update_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._letter(request, object_id, "update")

    def outcome_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._letter(request, object_id, "outcome")
