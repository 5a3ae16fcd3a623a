from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.generic import TemplateView

from example_shop.enquiries.forms import EnquiryForm, QuoteRequestForm


def contact(request: HttpRequest) -> HttpResponse:
    form = EnquiryForm(request.POST or None, initial=_known_contact(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("enquiries:contact_thanks")
    if form.errors:
        messages.error(request, "Please correct the errors below.")
    return render(request, "enquiries/contact.html", {"form": form})


def quote_request(request: HttpRequest) -> HttpResponse:
    form = QuoteRequestForm(request.POST or None, initial=_known_contact(request))
    if request.method == "POST" and form.is_valid():
        quote = form.save(commit=False)
        if request.user.is_authenticated:
            quote.user = request.user
        quote.save()
        form.save_m2m()
        return redirect("enquiries:quote_thanks")
    if form.errors:
        messages.error(request, "Please correct the errors below.")
    return render(request, "enquiries/quote_request.html", {"form": form})


def _known_contact(request: HttpRequest) -> dict[str, str]:
    if not request.user.is_authenticated:
        return {}
    return {"name": request.user.get_full_name(), "email": request.user.email}


class ContactThanksView(TemplateView):
    template_name = "enquiries/contact_thanks.html"


class QuoteThanksView(TemplateView):
    template_name = "enquiries/quote_thanks.html"
