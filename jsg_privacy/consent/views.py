"""The cookie consent endpoints, wrapping django-cookie-consent's views.

Accept, decline and save answer JSON to the banner script (no reload) and redirect back to the page
for plain forms (JavaScript off). Bad input is a 400 with a message, never a 200 or a 500.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cookie_consent.views import CookieGroupAcceptView, CookieStatusView
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_POST, require_safe
from django.views.decorators.vary import vary_on_cookie

from jsg_privacy.consent import choices, groups, objection, origin, region, state
from jsg_privacy.consent.forms import ChoiceForm
from jsg_privacy.consent.models import Channel


def wants_json(request: HttpRequest) -> bool:
    return request.headers.get(
        "X-Requested-With"
    ) == "fetch" or "application/json" in request.headers.get("Accept", "")


def status_payload(request: HttpRequest) -> dict[str, Any]:
    current = state.read(request)
    return {
        "decided": current.decided,
        "gpc": current.gpc,
        "groups": [
            {
                "key": g.key,
                "label": g.label,
                "version": g.version,
                "accepted": current.accepted(g.key),
            }
            for g in groups.current()
        ],
    }


def gpc_applies(request: HttpRequest) -> bool:
    """True when the visitor's browser sends Global Privacy Control, or sent it before: the
    banner then offers "Accept all except marketing", and accepting all leaves the groups GPC
    refuses (:data:`~jsg_privacy.consent.groups.GPC_PURPOSES`) as they are. Only the group's own
    switch turns them on."""
    return request.META.get("HTTP_SEC_GPC") == "1" or state.read(request).gpc


@method_decorator(csrf_exempt, name="dispatch")
class ChoiceView(CookieGroupAcceptView):
    """Base for accept, decline and save; ``next`` is checked by django's RedirectURLMixin.

    The forms carry no CSRF token, so pages showing them set no cookie: a choice is accepted from
    this site's own pages by what the browser says of the request (:mod:`.origin`)."""

    accept = True
    decline_others = False

    def get_default_redirect_url(self) -> str:
        return "/"  # the banner's forms always send ``next``: the page the visitor was on

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refused = origin.check(request)
        if refused is not None:
            return refused
        form = ChoiceForm(request.POST)
        if not form.is_valid():
            return self.bad_request(
                request, " ".join(str(m) for ms in form.errors.values() for m in ms)
            )
        selected = form.selected()
        held_back = self.accept and form.cleaned_data.get("all") == "1" and gpc_applies(request)
        if held_back:  # "Accept all except marketing": the signal stands; a switch overrides it
            selected = [key for key in selected if key not in groups.GPC_PURPOSES]
        changes = dict.fromkeys(selected, self.accept)
        if self.decline_others:
            changes.update({g.key: False for g in groups.current() if g.key not in selected})
        if not changes and not self.decline_others and not held_back:
            return self.bad_request(request, _("Name at least one cookie group, or all=1."))
        response: HttpResponseBase = (
            JsonResponse({})
            if wants_json(request)
            else HttpResponseRedirect(self.get_success_url())
        )
        choices.apply(request, response, changes, channel=form.channel_used())
        if isinstance(response, JsonResponse):
            response.content = JsonResponse(status_payload(request)).content
        return response

    def bad_request(self, request: HttpRequest, message: str) -> HttpResponse:
        if wants_json(request):
            return JsonResponse({"error": message}, status=400)
        return render(request, "jsg_privacy/consent/error.html", {"message": message}, status=400)


class AcceptView(ChoiceView):
    accept = True


class DeclineView(ChoiceView):
    accept = False


class SaveView(ChoiceView):
    """The "Choose" layer: the listed groups are accepted, every other group is refused."""

    accept = True
    decline_others = True


@method_decorator(never_cache, name="dispatch")
class StatusView(CookieStatusView):
    def get(self, request: HttpRequest) -> JsonResponse:
        response = JsonResponse({**status_payload(request), "csrftoken": get_token(request)})
        region.vary(response)
        return response


def _state_rules(request: HttpRequest) -> str:
    current = state.read(request)
    rules = []
    if current.decided:
        rules.append("#jsg-cb{display:none}")
    if current.gpc:
        rules.append(".jsg-cb__gpc{display:block}")
        rules.append(".jsg-cb__no-gpc{display:none}.jsg-cb__if-gpc{display:inline}")
    return "\n".join(rules)


@require_safe
@vary_on_cookie
@condition(etag_func=lambda request: hashlib.sha256(_state_rules(request).encode()).hexdigest())
def state_css(request: HttpRequest) -> HttpResponse:
    """Per-visitor CSS that hides the banner once every group is decided, for visitors without
    JavaScript only (``<noscript>`` in ``{% consent_head %}``; with JavaScript, the static
    ``consent-state.js`` reads the cookie). Pages themselves stay identical for every visitor."""
    response = HttpResponse(_state_rules(request), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    region.vary(response)  # exception groups are decided for UK visitors, not for others
    return response


@never_cache
def preferences(request: HttpRequest) -> HttpResponse:
    """Cookie settings page: the no-JavaScript target of "Privacy settings", and where to withdraw."""
    current = state.read(request)
    return render(
        request,
        "jsg_privacy/consent/preferences.html",
        {
            "groups": [(g, current.accepted(g.key)) for g in groups.current()],
            "necessary": groups.necessary(),
            "gpc": current.gpc,
            # On without a prompt here (Sch. A1): each has its own one-click "Object".
            "objectable": [
                g for g in groups.current() if g.is_exception and current.accepted(g.key)
            ]
            if current.exceptions_apply
            else [],
        },
    )


@csrf_exempt  # the notice is one cached page for everyone: its signed token stands in (objection)
@require_POST
@never_cache
def object_from_notice(request: HttpRequest) -> HttpResponse:
    """The notice's one-click "Object": that group's storage stops, its cookies are deleted and
    the ledger records the objection. A forged token changes nothing (400), an old one neither
    (410); both say so."""
    try:
        group = objection.read_token(request.POST.get("token"))
    except objection.TokenOutOfDate:
        message = _(
            "This button is out of date: our cookie list has changed since the page was loaded. "
            "Nothing was changed. Reload the privacy notice, or use the cookie settings page."
        )
        context = {"message": message}
        return render(request, "jsg_privacy/consent/error.html", context, status=410)
    except objection.TokenError:
        message = _("This request is not valid, so nothing was changed.")
        return render(request, "jsg_privacy/consent/error.html", {"message": message}, status=400)
    response = render(request, "jsg_privacy/consent/objected.html", {"group": group})
    choices.apply(request, response, {group.key: False}, channel=Channel.NOTICE)
    return response
