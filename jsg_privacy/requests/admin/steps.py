"""The pages of the steps staff take on a case: each asks what it needs, then acts and audits.

The erasure page shows the plan — what is deleted, anonymised, or kept until when and why — and
changes nothing until staff confirm.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.forms import modelform_factory
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from jsg_privacy import tasks
from jsg_privacy.audit import access
from jsg_privacy.conf import app_settings
from jsg_privacy.flows import erase
from jsg_privacy.flows.object import MARKETING_PURPOSES
from jsg_privacy.flows.rectify import correctable_fields
from jsg_privacy.notifiers import Event
from jsg_privacy.registry import ModelSource, registry
from jsg_privacy.requests import (
    cases,
    clock,
    objection,
    recipients,
    rectification,
    restriction,
)
from jsg_privacy.requests.admin.export import export_case
from jsg_privacy.requests.admin.forms import (
    AddressProofForm,
    AnswerReceivedForm,
    ClarifyForm,
    DecisionForm,
    ExtendForm,
    ObjectionForm,
    ReasonForm,
)
from jsg_privacy.requests.models import Case, Kind, Status

VERIFIED = (Status.OPEN, Status.IN_PROGRESS, Status.FAILED)

if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin[Case]  # what the mixin is mixed into, for the type checker
else:
    _AdminBase = object


class CaseSteps(_AdminBase):
    """URLs and views of the steps, mixed into :class:`~jsg_privacy.requests.admin.options.CaseAdmin`."""

    def _url(self, case: Case, step: str) -> str:
        info = self.opts.app_label, self.opts.model_name, step
        return reverse(
            "admin:{}_{}_{}".format(*info), args=[case.pk], current_app=self.admin_site.name
        )

    def _back(self, case: Case) -> HttpResponseRedirect:
        return HttpResponseRedirect(self._url(case, "change"))

    def step_views(self) -> dict[str, Callable[..., HttpResponseBase]]:
        """The steps' views by URL name: ``<pk>/<step>/``."""
        return {
            "export": self.export_view,
            "erase": self.erase_view,
            "extend": self.extend_view,
            "clarify": self.clarify_view,
            "answer": self.answer_view,
            "no-reply": self.no_reply_view,
            "restrict": self.restrict_view,
            "object": self.objection_view,
            "decide": self.decide_view,
            "correct": self.correct_view,
            "complete": self.complete_view,
            "address-link": self.address_link_view,
            "address-proof": self.address_proof_view,
        }

    def get_urls(self) -> list[Any]:
        info = self.opts.app_label, self.opts.model_name
        own = [
            path(
                f"<path:object_id>/{step}/",
                self.admin_site.admin_view(view),
                name="{}_{}_{}".format(*info, step),
            )
            for step, view in self.step_views().items()
        ]
        return own + super().get_urls()

    def _case(self, request: HttpRequest, object_id: str) -> Case:
        if not self.has_change_permission(request):
            raise PermissionDenied
        case = self.get_object(request, object_id)
        if case is None:
            raise Http404
        return case

    def _page(
        self, request: HttpRequest, case: Case, template: str, **context: Any
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": case,
            "case": case,
            **context,
        }
        return TemplateResponse(request, f"admin/jsg_privacy/case/{template}", context)

    def _step(
        self,
        request: HttpRequest,
        case: Case,
        form: forms.BaseForm,
        title: str,
        run: Callable[[dict[str, Any]], str],
        intro: str = "",
    ) -> HttpResponse:
        if request.method == "POST" and form.is_valid():
            try:
                done = run(form.cleaned_data)
            except cases.CaseError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, done)
                return self._back(case)
        return self._page(request, case, "step.html", form=form, title=title, intro=intro)

    def export_view(self, request: HttpRequest, object_id: str) -> HttpResponseBase:
        case = self._case(request, object_id)
        if request.method != "POST":
            return self._back(case)
        return export_case(request, case) or self._back(case)

    def erase_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The plan first: what is deleted, anonymised, or kept until when and why. Then Confirm."""
        case = self._case(request, object_id)
        if case.kind != Kind.ERASURE or case.status not in VERIFIED:
            messages.error(
                request,
                _("%(ref)s is not an erasure request waiting to be done.")
                % {"ref": case.reference},
            )
            return self._back(case)
        if request.method == "POST" and "confirm" in request.POST:
            cases.audit(case, "erasure confirmed by staff", actor=request.user)
            run_task(tasks.erase_case, case.pk, request.user.pk)
            case.refresh_from_db()
            if case.status == Status.COMPLETED:
                messages.success(
                    request, _("%(ref)s: erased as planned.") % {"ref": case.reference}
                )
            elif case.status == Status.WAITING:
                messages.warning(
                    request,
                    _(
                        "%(ref)s: erased as planned; waiting for recipients: some could not be "
                        "told yet and are retried (see the notices below)."
                    )
                    % {"ref": case.reference},
                )
            elif case.status == Status.FAILED:
                messages.error(request, case.failure_reason)
            else:
                messages.info(request, _("%(ref)s: erasure queued.") % {"ref": case.reference})
            return self._back(case)
        try:
            subject = cases.subject_of(case)
            steps = erase.plan(subject)
        except cases.CaseError as exc:
            messages.error(request, str(exc))
            return self._back(case)
        # The plan shows the requester's address and where their data is: a staff access.
        access.record_view(request, case, ["email"], context="erasure plan")
        told = [n.recipient_name for n in recipients.prepare(subject, Event.ERASED)]
        return self._page(
            request,
            case,
            "erase_plan.html",
            title=_("Erase the data of %(ref)s?") % {"ref": case.reference},
            steps=steps,
            recipients=told,
        )

    def extend_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        case = self._case(request, object_id)

        def run(data: dict[str, Any]) -> str:
            cases.extend(case, months=data["months"], reason=data["reason"], actor=request.user)
            return _("Extended until %(date)s; the requester was told.") % {
                "date": case.extended_until
            }

        title = _("Extend %(ref)s") % {"ref": case.reference}
        intro = _(
            "Due %(date)s. A request can be extended by up to two months if it is complex or one of many."
        ) % {"date": case.due_on}
        return self._step(request, case, ExtendForm(request.POST or None), title, run, intro)

    def clarify_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        case = self._case(request, object_id)

        def link(token: str) -> str:
            return request.build_absolute_uri(reverse("jsg_privacy:requests:answer", args=[token]))

        def run(data: dict[str, Any]) -> str:
            try:
                clock.ask(case, data["question"], reply_url=link, actor=request.user)
            except OSError as exc:  # the mail server: nothing was paused (one transaction)
                raise cases.CaseError(_("The e-mail could not be sent; try again later.")) from exc
            return _("The clock is paused; the requester was e-mailed your question.")

        title = _("Ask the requester of %(ref)s for clarification") % {"ref": case.reference}
        intro = _(
            "Due %(date)s. The clock pauses until they answer; the days paused are added to the "
            "due date. With no answer after %(days)d days you may close the request."
        ) % {"date": case.deadline, "days": app_settings.CLARIFICATION_NO_REPLY_DAYS}
        return self._step(request, case, ClarifyForm(request.POST or None), title, run, intro)

    def answer_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        case = self._case(request, object_id)

        def run(data: dict[str, Any]) -> str:
            days = clock.resume(case, data["answer"], how=data["how"], actor=request.user)
            case.refresh_from_db()
            return _("The clock runs again: %(days)d days paused; now due %(date)s.") % {
                "days": days,
                "date": case.deadline,
            }

        title = _("The answer of the requester of %(ref)s") % {"ref": case.reference}
        intro = _("For an answer received by phone, letter or e-mail.")
        form = AnswerReceivedForm(request.POST or None)
        return self._step(request, case, form, title, run, intro)

    def no_reply_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        case = self._case(request, object_id)

        def run(data: dict[str, Any]) -> str:
            try:
                clock.close_for_no_reply(case, actor=request.user)
            except OSError as exc:
                raise cases.CaseError(_("The e-mail could not be sent; try again later.")) from exc
            return _("%(ref)s closed; the requester was sent a letter saying so.") % {
                "ref": case.reference
            }

        title = _("Close %(ref)s for want of an answer?") % {"ref": case.reference}
        intro = _(
            "The requester was asked a question on %(date)s and has not answered. They are "
            "e-mailed a letter saying the request is closed and that they may ask again."
        ) % {"date": case.paused_since}
        return self._step(request, case, forms.Form(request.POST or None), title, run, intro)

    def restrict_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        case = self._case(request, object_id)

        def run(data: dict[str, Any]) -> str:
            restriction.restrict(
                cases.subject_of(case), data["reason"], case=case, actor=request.user
            )
            return _("Processing is restricted.")

        title = _("Restrict processing for %(ref)s") % {"ref": case.reference}
        intro = _("Marketing, recipient syncs and exports to processors stop until it is lifted.")
        return self._step(request, case, ReasonForm(request.POST or None), title, run, intro)

    def objection_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        case = self._case(request, object_id)

        def run(data: dict[str, Any]) -> str:
            if data["purpose"] in MARKETING_PURPOSES:
                objection.object_to_marketing(
                    cases.stated_subject(case), case=case, actor=request.user
                )
                return _("Marketing stopped on every medium; the request is completed.")
            objection.record(
                case,
                data["purpose"],
                data["grounds"],
                actor=request.user,
                restrict_meanwhile=data["restrict_meanwhile"],
            )
            return _("Objection recorded: it awaits a decision.")

        title = _("Record the objection of %(ref)s") % {"ref": case.reference}
        return self._step(request, case, ObjectionForm(request.POST or None), title, run)

    def decide_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        case = self._case(request, object_id)

        def run(data: dict[str, Any]) -> str:
            objection.decide(case, data["upheld"], data["reason"], actor=request.user)
            return _("Decision recorded; the requester was told.")

        title = _("Decide the objection of %(ref)s") % {"ref": case.reference}
        return self._step(request, case, DecisionForm(request.POST or None), title, run)

    def address_link_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """E-mail the requester a link that confirms the case's address (a POST from the case)."""
        case = self._case(request, object_id)
        if request.method == "POST" and case.email and not cases.address_proven(case):
            token = cases.verification_token(case)
            url = reverse("jsg_privacy:requests:verify", args=[token])
            try:
                cases.send_verification(case, request.build_absolute_uri(url))
            except OSError:
                messages.error(request, _("The e-mail could not be sent; try again later."))
            else:
                messages.success(
                    request,
                    _("%(ref)s: a confirmation link was e-mailed to the requester.")
                    % {"ref": case.reference},
                )
        return self._back(case)

    def address_proof_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        case = self._case(request, object_id)

        def run(data: dict[str, Any]) -> str:
            cases.confirm_address(case, data["how"], actor=request.user)
            return _("Recorded: records found by the address are now included.")

        title = _("How did the requester of %(ref)s prove the address?") % {"ref": case.reference}
        intro = _(
            "Only if they showed they receive mail at it. Records found only through the address "
            "(a guest order, an enquiry) are then released to, or changed for, this request."
        )
        form = AddressProofForm(request.POST or None)
        return self._step(request, case, form, title, run, intro)

    def complete_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        case = self._case(request, object_id)
        if request.method == "POST":
            try:
                rectification.finish(case, actor=request.user)
            except cases.CaseError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _done_message(case))
        return self._back(case)

    def correct_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The subject's records; then one record's correctable fields. Logs field names only."""
        case = self._case(request, object_id)
        try:
            subject = cases.subject_of(case)
        except cases.CaseError as exc:
            messages.error(request, str(exc))
            return self._back(case)
        source = registry.sources.get(request.GET.get("source", ""))
        if not isinstance(source, ModelSource):
            records = [
                (src, row, f"?source={src.key}&pk={row.pk}")
                for src, row in rectification.records_of(case)
            ]
            title = _("Correct the data of %(ref)s") % {"ref": case.reference}
            return self._page(request, case, "correct.html", title=title, records=records)
        fields = [f.name for f in correctable_fields(source)]
        try:
            instance = source.rows_for(subject).get(pk=request.GET.get("pk"))
        except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
            raise Http404 from exc
        form_class = modelform_factory(source.model, fields=fields)
        form = form_class(
            request.POST or None, instance=source.model._default_manager.get(pk=instance.pk)
        )

        def run(data: dict[str, Any]) -> str:
            changes = {name: data[name] for name in form.changed_data}
            try:
                changed = rectification.correct(case, instance, changes, actor=request.user)
            except ValidationError as exc:
                raise cases.CaseError(" ".join(exc.messages)) from exc
            return _("Corrected: %(fields)s.") % {"fields": ", ".join(changed) or _("nothing")}

        title = _("Correct %(record)s") % {"record": f"{source.name} #{instance.pk}"}
        response = self._step(request, case, form, title, run)
        if response.status_code == 200:  # the form, with the record's values: a staff access
            access.record_view(request, instance, fields, source, context="correction form")
        return response


def run_task(task: Callable[..., Any], *args: Any) -> None:
    """Run a task now in the request, or queue it when the task runner is Celery."""
    if app_settings.TASK_RUNNER == "celery":
        tasks.enqueue(task, *args)
    else:
        # A CaseError: the case moved on meanwhile (a double submit); its status says what happened.
        with contextlib.suppress(cases.CaseError):
            task(*args)


def _done_message(case: Case) -> str:
    case.refresh_from_db()
    if case.status == Status.WAITING:
        return _("%(ref)s: done; waiting for recipients to be told (see the notices below).") % {
            "ref": case.reference
        }
    return _("%(ref)s completed.") % {"ref": case.reference}
