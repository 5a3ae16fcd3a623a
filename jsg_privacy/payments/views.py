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
from jsg_privacy.payments import charges, gateways
from jsg_privacy.payments.adapter import get_adapter
from jsg_privacy.payments.base import (
    Gateway,
    InvalidWebhook,
    NotConfigured,
    Payable,
    PaymentError,
    PaymentResult,
    Status,
)
from jsg_privacy.payments.models import Payment

logger = logging.getLogger(__name__)


def _unavailable(refused: PaymentError) -> str:
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


def _gateway(name: str) -> Gateway:
    """The configured gateway called ``name``: 404 for any other name."""
    try:
        return gateways.get(name)
    except gateways.GatewayRemoved:
        raise Http404("No such payment gateway.") from None


def _offered(payable: Payable, request: HttpRequest) -> tuple[list[dict[str, object]], str]:
    """Each configured gateway that can take a payment now, with what its form needs; and, when
    none can, the customer's message."""
    methods: list[dict[str, object]] = []
    refusal = ""
    for gateway in gateways.all_gateways():
        try:
            gateway.ensure_configured()
            config = gateway.client_config(payable)  # Opayo asks for a merchant session key
        except PaymentError as refused:  # not configured, or its provider cannot be reached
            refusal = _unavailable(refused)
            continue
        args = [payable.reference, gateway.name]
        methods.append(
            {
                "gateway": gateway,
                "config": config,
                "charge_url": reverse("jsg_privacy:payments:charge", args=args),
                "prepare_url": reverse("jsg_privacy:payments:prepare", args=args),
                "confirm_url": reverse("jsg_privacy:payments:confirm", args=args),
            }
        )
    return methods, refusal


@require_GET
@never_cache
@ensure_csrf_cookie
def pay(request: HttpRequest, reference: str) -> HttpResponse:
    """The pay page: each configured gateway's form (card by Stripe, PayPal's buttons…)."""
    payable = _payable(request, reference)
    if not payable.due:
        return HttpResponseRedirect(payable.return_url)
    methods, refusal = _offered(payable, request)
    if not methods:
        context = {"payable": payable, "message": refusal}
        return render(request, "jsg_privacy/payments/unavailable.html", context, status=503)
    return render(
        request, "jsg_privacy/payments/pay.html", {"payable": payable, "methods": methods}
    )


def _answer(
    payable: Payable, status: str, message: str = "", code: int = 200, **extra: str
) -> JsonResponse:
    body = {"status": status, "message": message, **extra}
    if status == Status.SUCCEEDED:
        body["redirect"] = payable.return_url
    return JsonResponse(body, status=code)


def _refused(payable: Payable, reference: str, error: Exception) -> JsonResponse:
    """The answer when the payment could not be attempted: paid, in progress, or the provider down."""
    if isinstance(error, charges.AlreadyPaid):
        return _answer(payable, "paid", str(error), 409, redirect=payable.return_url)
    if isinstance(error, charges.PaymentRefused):
        return _answer(payable, "in_progress", str(error), 409)
    if isinstance(error, NotConfigured):
        return _answer(payable, "unavailable", _unavailable(error), 503)
    logger.error("Payment for %s failed: %s", reference, error)
    message = _("The payment service could not be reached. Please try again in a moment.")
    return _answer(payable, "unavailable", message, 502)


ATTEMPT_ERRORS = (charges.PaymentRefused, PaymentError)


@require_POST
@never_cache
def charge(request: HttpRequest, reference: str, gateway: str) -> JsonResponse:
    """Charge the token from the provider's script; the amount is the adapter's, never the browser's."""
    payable = _payable(request, reference)
    backend = _gateway(gateway)
    token = request.POST.get("token", "")
    if backend.prepares or not backend.accepts_token(token):
        return _answer(payable, "invalid", _("Please enter your card details again."), 400)
    try:
        payment, result = charges.pay(payable, token, backend)
    except ATTEMPT_ERRORS as error:
        return _refused(payable, reference, error)
    return _result(payable, result.status, payment.failure_message, result)


@require_POST
@never_cache
def prepare(request: HttpRequest, reference: str, gateway: str) -> JsonResponse:
    """Create the payment at the provider for the adapter's amount; the browser completes it there.

    Nothing the browser posts is read: the amount, currency and reference are the adapter's."""
    payable = _payable(request, reference)
    backend = _gateway(gateway)
    if not backend.prepares:
        raise Http404("This gateway takes a token.")
    try:
        payment, result = charges.prepare(payable, backend)
    except ATTEMPT_ERRORS as error:
        return _refused(payable, reference, error)
    return _result(payable, result.status, payment.failure_message, result)


def _result(
    payable: Payable, status: str, message: str, result: PaymentResult | None = None
) -> JsonResponse:
    if status == Status.SUCCEEDED:
        return _answer(payable, status)
    if status == Status.REQUIRES_ACTION and result is not None:
        # What the provider's script needs to go on: Stripe's client secret, PayPal's order id.
        return _answer(
            payable, status, client_secret=result.client_secret, intent_id=result.intent_id
        )
    if status == Status.PROCESSING:
        return _answer(payable, status, _("Your payment is being processed."), 202)
    return _answer(payable, status, message or _("Your card was declined."), 402)


@require_POST
@never_cache
def confirm(request: HttpRequest, reference: str, gateway: str) -> JsonResponse:
    """After the customer acted with the provider in the browser (card and 3-D Secure, PayPal's
    approval): what the provider now says about the waiting payment. Only the payment waiting for
    this order is asked about; nothing the browser posts names it."""
    payable = _payable(request, reference)
    backend = _gateway(gateway)
    payment = (
        Payment.objects.filter(
            reference=payable.reference, gateway=backend.name, status=Status.REQUIRES_ACTION
        )
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
    except ATTEMPT_ERRORS as error:
        return _refused(payable, reference, error)
    payment.refresh_from_db()
    if result.status == Status.REQUIRES_ACTION:  # not completed in the browser: nothing to show
        return _answer(payable, "none", _("The payment was not completed. Please try again."), 402)
    return _result(payable, result.status, payment.failure_message or result.message)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, gateway: str) -> HttpResponse:
    """The provider's events, verified by signature; a replayed event changes nothing.

    With the gateway's webhook secret missing (or only a public one), every event is refused with a
    503 and nothing is read: the provider retries once the secret is set.
    """
    _switched_on()
    backend = _gateway(gateway)
    try:
        event = backend.parse_webhook(request.body, request.headers)
    except NotConfigured as refused:
        logger.error("Refused a %s webhook: %s", gateway, refused)
        return HttpResponse("Webhooks are not configured.", status=503, content_type="text/plain")
    except InvalidWebhook as error:
        logger.warning("Refused a %s webhook: %s", gateway, error)
        return HttpResponse(f"Refused: {error}", status=400, content_type="text/plain")
    except PaymentError as error:  # the provider's verification could not be asked: it resends
        logger.error("Could not verify a %s webhook: %s", gateway, error)
        return HttpResponse("Try again later.", status=503, content_type="text/plain")
    try:
        outcome = charges.handle_event(event, backend)
    except charges.RetryLater as later:
        return HttpResponse(str(later), status=409, content_type="text/plain")
    except PaymentError as error:  # confirming it needed the provider, which did not answer
        logger.error("Could not apply a %s webhook: %s", gateway, error)
        return HttpResponse("Try again later.", status=503, content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")
