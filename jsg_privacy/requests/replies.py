"""The requester's answer to a question about their request: the one-time link e-mailed with it.

The link opens a page with the question and a box for the answer; sending it restarts the clock
(:func:`jsg_privacy.requests.clock.resume`). A forged or altered link is a 400 page, an expired one
or one already answered (or whose request was closed) a 410 page: nothing is recorded.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jsg_privacy.requests import cases, clock
from jsg_privacy.requests.forms import AnswerForm
from jsg_privacy.requests.views import TEMPLATES, link_problem

#: How an answer through the link is described on the question and in the audit trail.
BY_LINK = "reply link"


def _used(request: HttpRequest) -> HttpResponse:
    message = _("This question has been answered already, or the request is closed.")
    return link_problem(request, kind="clarify", problem="used", message=message)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    question, problem = clock.read_reply_token(token)
    if question is None:
        if problem == "used":
            return _used(request)
        return link_problem(request, kind="clarify", problem=problem)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            clock.resume(question.case, form.cleaned_data["answer"], how=BY_LINK)
        except cases.CaseError:  # answered or closed meanwhile
            return _used(request)
        question.case.refresh_from_db()
        return render(request, TEMPLATES + "clarified.html", {"case": question.case})
    context = {"case": question.case, "question": question, "form": form}
    return render(request, TEMPLATES + "clarify.html", context)
