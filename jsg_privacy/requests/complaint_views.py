"""The complaint form (DPA 2018 s.164A): public, and from the account's "Your data" page.

A signed-in customer's complaint is linked to their account and answered at its address. The form
refuses a complaint with no address to answer (a field error) and answers too many from one
client or to one address with the rate limits' 429 page. The acknowledgement is e-mailed at once;
if the mail server fails, the complaint is kept all the same and staff see it unacknowledged.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from jsg_privacy.requests import complaints
from jsg_privacy.requests.forms import ComplaintForm
from jsg_privacy.requests.models import Channel
from jsg_privacy.requests.views import account_address, contact_email, public_form_limits

TEMPLATES = "jsg_privacy/complaints/"
#: The session key carrying the new complaint's reference to the page that confirms it.
RECEIVED = "jsg_privacy_complaint"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def complain(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    initial = {"email": account_address(request.user)} if signed_in else {}
    form = ComplaintForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        refused = public_form_limits(request, email)
        if refused is not None:
            return refused
        case = complaints.receive(
            email=email,
            details=form.cleaned_data["details"],
            channel=Channel.ACCOUNT if signed_in else Channel.WEB_FORM,
            user=request.user,
        )
        request.session[RECEIVED] = {
            "reference": case.reference,
            "acknowledged": case.acknowledged_at is not None,
        }
        return redirect("jsg_privacy:requests:complaint-received")
    return render(request, TEMPLATES + "complain.html", {"form": form})


@never_cache
@require_safe
def received(request: HttpRequest) -> HttpResponse:
    context = {"received": request.session.get(RECEIVED), "contact_email": contact_email()}
    return render(request, TEMPLATES + "received.html", context)
