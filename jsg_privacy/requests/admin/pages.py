"""An admin action that needs one form on a page of its own: pick one row, fill in the form, act.

Used to lift a restriction (the reason) and to record that a recipient was told another way (how).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from jsg_privacy.requests.cases import CaseError


class FormSteps:
    """Mixed into a ``ModelAdmin``: the URL, the redirect from an action and the page of a step."""

    def _step_name(self, step: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{step}"  # type: ignore[attr-defined]

    def step_urls(self, **views: Callable[..., HttpResponse]) -> list[Any]:
        """``step=view`` pairs as ``<pk>/<step>/`` admin URLs."""
        site = self.admin_site  # type: ignore[attr-defined]
        return [
            path(f"<path:object_id>/{step}/", site.admin_view(view), name=self._step_name(step))
            for step, view in views.items()
        ]

    def to_step(
        self, request: HttpRequest, queryset: QuerySet, step: str, refusal: str
    ) -> HttpResponse | None:
        """From an action: to the step's page for the one row selected (else ``refusal``)."""
        if queryset.count() != 1:
            messages.warning(request, refusal)
            return None
        return HttpResponseRedirect(
            reverse(f"admin:{self._step_name(step)}", args=[queryset.get().pk])
        )

    def step_page(
        self,
        request: HttpRequest,
        object_id: str,
        form_class: type[forms.Form],
        run: Callable[[Any, dict[str, Any]], str],
        *,
        title: Callable[[Any], str],
        intro: str,
    ) -> HttpResponse:
        """The form; on a valid POST ``run(row, data)``, whose text is the success message. A
        :class:`CaseError` it raises is shown on the form and changes nothing."""
        admin = self
        if not admin.has_change_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        item = admin.get_object(request, object_id)  # type: ignore[attr-defined]
        if item is None:
            raise Http404
        form = form_class(request.POST or None)
        back = reverse(f"admin:{self._step_name('changelist')}")
        if request.method == "POST" and form.is_valid():
            try:
                done = run(item, form.cleaned_data)
            except CaseError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, done)
                return HttpResponseRedirect(back)
        context = {
            **admin.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": admin.opts,  # type: ignore[attr-defined]
            "original": item,
            "form": form,
            "title": title(item),
            "intro": intro,
        }
        return TemplateResponse(request, "admin/jsg_privacy/case/step.html", context)
