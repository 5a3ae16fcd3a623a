"""Marketing preferences, unsubscribe links and double opt-in confirmation links.

Every state-changing request is either CSRF-protected (preferences, confirmation) or verified by its
signed token (the unsubscribe link, which mail providers post to without a CSRF token, RFC 8058).
A forged, altered or expired link shows a page saying so — 400 or 410 — and changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from jsg_privacy.conf import app_settings
from jsg_privacy.marketing import choices, double_opt_in, suppression, tokens, wording
from jsg_privacy.marketing import unsubscribe as unsubscribing
from jsg_privacy.marketing.forms import PREFIX, MarketingPreferencesForm

if TYPE_CHECKING:
    from jsg_privacy.requests.views import AuthenticatedHttpRequest

LINK_PROBLEM_TEMPLATE = "jsg_privacy/marketing/link_problem.html"


def link_problem(request: HttpRequest, error: tokens.InvalidToken, kind: str) -> HttpResponse:
    """A clear page for a link that is forged or malformed (400) or too old (410)."""
    expired = isinstance(error, tokens.ExpiredToken)
    contact = app_settings.CONTROLLER.get("email", "")
    context = {"expired": expired, "kind": kind, "contact_email": contact}
    return render(request, LINK_PROBLEM_TEMPLATE, context, status=410 if expired else 400)


def box_status(person: choices.Person, box: wording.Box) -> str:
    latest = choices.current(person, box.purpose, box.medium)
    if latest is not None and latest.granted:
        since = date_format(localtime(latest.updated_at), "DATE_FORMAT")
        return _("Yes, since %(date)s.") % {"date": since}
    if latest is not None and latest.pending:
        return _("Waiting for you to confirm with the link we e-mailed you.")
    if (
        box.medium
        and person.proven
        and suppression.is_suppressed(person.all_email_keys, box.medium)
    ):
        return _("No: you unsubscribed.")
    return _("No.")


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Choices recorded for the address alone (a guest's, at checkout) are shown, and changed, only
    # once the account has proven the address: a stranger who signed up with it must neither learn
    # them nor undo them.
    from jsg_privacy.requests.identity import address_proven  # the page sits above both layers

    field = request.user.get_email_field_name()
    proven = address_proven(request.user, str(getattr(request.user, field, "") or ""))
    person = choices.Person.of(user=request.user, proven=proven)
    data = request.POST if request.method == "POST" else None
    form = MarketingPreferencesForm(data, person=person, user=request.user)
    if data is not None and form.is_valid():
        outcome = form.record_marketing(
            user=request.user, request=request, unticked_withdraws=True, proven=proven
        )
        if outcome.pending:
            note = _("We have e-mailed you a link: your e-mail choice counts once you confirm it.")
            messages.info(request, note, fail_silently=True)
        note = _("Your choices have been saved.") if outcome.changed else _("Nothing changed.")
        messages.success(request, note, fail_silently=True)
        return redirect("jsg_privacy:marketing:preferences")
    rows = [(form[PREFIX + box.name], box_status(person, box)) for box in form.marketing_boxes]
    context = {"form": form, "rows": rows}
    return render(request, "jsg_privacy/marketing/preferences.html", context)


@csrf_exempt  # mail providers post here (RFC 8058); the signed token is the verification
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = tokens.read_unsubscribe(token)
    except tokens.InvalidToken as error:
        return link_problem(request, error, "unsubscribe")
    heading, text = wording.unsubscribe_text(link.medium)
    context: dict[str, Any] = {"heading": heading, "text": text, "medium": link.medium}
    if request.method == "POST":
        context["changed"] = unsubscribing.follow(link)
        return render(request, "jsg_privacy/marketing/unsubscribed.html", context)
    return render(request, "jsg_privacy/marketing/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Double opt-in: the link opens a page whose button confirms (a link scanner cannot)."""
    try:
        tokens.read_confirmation(token)
        result = double_opt_in.confirm(token) if request.method == "POST" else None
    except tokens.InvalidToken as error:
        return link_problem(request, error, "confirm")
    context = {"result": result, "sender": wording.sender()}
    return render(request, "jsg_privacy/marketing/confirm.html", context)
