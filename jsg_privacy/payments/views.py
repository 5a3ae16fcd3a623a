"""The pay page, the endpoints its script posts the provider's token to, and the provider's webhook.

Only the shop's adapter decides who may pay for what and how much: the pay page and its endpoints
answer 404 to anyone the adapter does not recognise, and the amount charged is always the adapter's.
The browser sends a token and nothing else is read from it. While payments are switched off (no
``JSG_PRIVACY_PAYMENT_ADAPTER``) every one of them, the webhook too, answers 404: the privacy
notice does not mention payments then, so nothing may be recorded.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from jsg_privacy import features
from jsg_privacy.payments import charges
from jsg_privacy.payments.adapter import get_adapter
from jsg_privacy.payments.base import (
    InvalidWebhook,
    NotConfigured,
    Payable,
    PaymentError,
    Status,
    get_gateway,
)
from jsg_privacy.payments.models import Payment

logger = logging.getLogger(__name__)


def _unavailable(refused: NotConfigured) -> str:
    """Log why card payments are refused (a setting, never a secret); the customer's words."""
    logger.error("Card payments are refused: %s", refused)
    return _("Card payments are not available at the moment. Please try again later.")


def _switched_on() -> None:
    if not features.payments():
        raise Http404("Payments are not used in this shop.")


def _payable(request: HttpRequest, reference: str) -> Payable:
    _switched_on()
    payable = get_adapter().get_payable(request, reference)
    if payable is None:
        raise Http404("No such order.")
    return payable


@require_GET
@never_cache
@ensure_csrf_cookie
def pay(request: HttpRequest, reference: str) -> HttpResponse:
    payable = _payable(request, reference)
    if not payable.due:
        return HttpResponseRedirect(payable.return_url)
    gateway = get_gateway()
    try:
        gateway.ensure_configured()
    except NotConfigured as refused:
        context = {"payable": payable, "message": _unavailable(refused)}
        return render(request, "jsg_privacy/payments/unavailable.html", context, status=503)
    context = {
        "payable": payable,
        "gateway": gateway,
        "config": gateway.client_config(payable),
        "charge_url": reverse("jsg_privacy:payments:charge", args=[payable.reference]),
        "confirm_url": reverse("jsg_privacy:payments:confirm", args=[payable.reference]),
    }
    return render(request, "jsg_privacy/payments/pay.html", context)


def _answer(
    payable: Payable, status: str, message: str = "", code: int = 200, **extra: str
) -> JsonResponse:
    body = {"status": status, "message": message, **extra}
    if status == Status.SUCCEEDED:
        body["redirect"] = payable.return_url
    return JsonResponse(body, status=code)


@require_POST
@never_cache
def charge(request: HttpRequest, reference: str) -> JsonResponse:
    """Charge the token from the provider's script; the amount is the adapter's, never the browser's."""
    payable = _payable(request, reference)
    gateway = get_gateway()
    token = request.POST.get("token", "")
    if not gateway.accepts_token(token):
        return _answer(payable, "invalid", _("Please enter your card details again."), 400)
    try:
        payment, result = charges.pay(payable, token, gateway)
    except charges.AlreadyPaid as refused:
        return _answer(payable, "paid", str(refused), 409, redirect=payable.return_url)
    except charges.PaymentRefused as refused:
        return _answer(payable, "in_progress", str(refused), 409)
    except NotConfigured as refused:
        return _answer(payable, "unavailable", _unavailable(refused), 503)
    except PaymentError:
        logger.exception("Payment for %s failed", reference)
        message = _("The payment service could not be reached. Please try again in a moment.")
        return _answer(payable, "unavailable", message, 502)
    return _result(payable, result.status, payment.failure_message, result.client_secret)


def _result(payable: Payable, status: str, message: str, client_secret: str = "") -> JsonResponse:
    if status == Status.SUCCEEDED:
        return _answer(payable, status)
    if status == Status.REQUIRES_ACTION:
        return _answer(payable, status, client_secret=client_secret)
    if status == Status.PROCESSING:
        return _answer(payable, status, _("Your payment is being processed."), 202)
    return _answer(payable, status, message or _("Your card was declined."), 402)


@require_POST
@never_cache
def confirm(request: HttpRequest, reference: str) -> JsonResponse:
    """After 3-D Secure in the browser: what the provider now says about the waiting payment."""
    payable = _payable(request, reference)
    payment = (
        Payment.objects.filter(reference=payable.reference, status=Status.REQUIRES_ACTION)
        .order_by("-pk")
        .first()
    )
    if payment is None:
        paid = Payment.objects.filter(reference=payable.reference, status=Status.SUCCEEDED)
        return (
            _answer(payable, Status.SUCCEEDED)
            if paid.exists()
            else _answer(payable, "none", "", 404)
        )
    try:
        result = charges.confirm(payment)
    except NotConfigured as refused:
        return _answer(payable, "unavailable", _unavailable(refused), 503)
    except PaymentError:
        logger.exception("Confirming the payment for %s failed", reference)
        message = _("The payment service could not be reached. Please try again in a moment.")
        return _answer(payable, "unavailable", message, 502)
    payment.refresh_from_db()
    return _result(payable, result.status, payment.failure_message or result.message)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, gateway: str) -> HttpResponse:
    """The provider's events, verified by signature; a replayed event changes nothing.

    With the gateway's webhook secret missing (or only a public one), every event is refused with a
    503 and nothing is read: the provider retries once the secret is set.
    """
    _switched_on()
    backend = get_gateway()
    if backend.name != gateway:
        raise Http404("No such payment gateway.")
    try:
        event = backend.parse_webhook(request.body, request.headers)
    except NotConfigured as refused:
        logger.error("Refused a %s webhook: %s", gateway, refused)
        return HttpResponse("Webhooks are not configured.", status=503, content_type="text/plain")
    except InvalidWebhook as error:
        logger.warning("Refused a %s webhook: %s", gateway, error)
        return HttpResponse(f"Refused: {error}", status=400, content_type="text/plain")
    try:
        outcome = charges.handle_event(event, backend)
    except charges.RetryLater as later:
        return HttpResponse(str(later), status=409, content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")
