"""The app's endpoints: the manifest, the token registration, the webhooks, and the marketing
boxes a storefront shows (public wording, no personal data).

Retry semantics: Saleor retries a webhook (up to 5 times, with a growing delay) after a 5xx or no
answer, and never after a 3xx or 4xx. So: a delivery that can never succeed — unknown or removed
installation, bad signature, malformed body, too large, too old or dated ahead — gets a 4xx; a passing problem
(the store's keys cannot be fetched, the Redis inbox cannot be reached, the database is down while
an inline handler runs, an inline handler failed) gets a 5xx; an accepted or already received
delivery gets a 200 at once, its work queued — from then on a failure is the worker's to retry
(see tasks). No endpoint ever redirects: each answers with and without its trailing slash.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from jsg_privacy.integrations.saleor import events, inbox, queries, tasks
from jsg_privacy.integrations.saleor import manifest as app_manifest
from jsg_privacy.integrations.saleor.client import (
    Client,
    SaleorError,
    SaleorUnavailable,
    fetch_jwks,
    trusted,
)
from jsg_privacy.integrations.saleor.conf import saleor_settings
from jsg_privacy.integrations.saleor.installations import forget_installations, installation_for
from jsg_privacy.integrations.saleor.models import Installation
from jsg_privacy.integrations.saleor.signature import InvalidSignature, verify
from jsg_privacy.marketing import wording
from jsg_privacy.tasks import enqueue

MAX_TOKEN = 1000


def allowed_api_url(value: str) -> str | None:
    """The configured API URL that ``value`` names (a trailing slash aside), or ``None``; never, with
    DEBUG off, one whose token and signing keys would travel in clear (``client.trusted``)."""
    wanted = value.strip().rstrip("/")
    if not wanted:
        return None
    found = next((url for url in saleor_settings.API_URLS if url.rstrip("/") == wanted), None)
    return found if found is not None and trusted(found) else None


def _too_large(request: HttpRequest) -> bool:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    return declared > saleor_settings.MAX_BODY or len(request.body) > saleor_settings.MAX_BODY


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _install_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"message": message}}, status=status)  # shown by Saleor


@require_GET
@never_cache
def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(app_manifest.build(request))


# Exempt from CSRF because no browser session is involved: the token is taken only from a Saleor
# API URL in JSG_PRIVACY_SALEOR_API_URLS and is proved by calling that API with it.
@csrf_exempt
@require_POST
def register(request: HttpRequest) -> JsonResponse:
    """Saleor hands over the app's token while it installs the app (``tokenTargetUrl``)."""
    if _too_large(request):
        return _install_error("The request is too large.", 413)
    api_url = allowed_api_url(request.headers.get("Saleor-Api-Url", ""))
    if api_url is None:
        return _install_error("This Saleor API URL may not install the app.", 403)
    try:
        token = json.loads(request.body)["auth_token"]
    except (ValueError, KeyError, TypeError, RecursionError):
        token = None
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return _install_error("The request holds no auth_token.", 400)
    try:
        app = Client(api_url, token).execute(queries.APP_ID).get("app") or {}
    except SaleorUnavailable:
        return _install_error("Saleor could not be reached to check the token.", 503)
    except SaleorError:
        app = {}
    if not isinstance(app.get("id"), str) or not app["id"]:
        return _install_error("Saleor did not accept the token.", 403)
    try:
        keys = fetch_jwks(api_url)  # from the configured store's origin, never from the request
    except SaleorError:
        return _install_error("The store's signing keys (JWKS) could not be read.", 503)
    with transaction.atomic():
        Installation.objects.update_or_create(
            api_url=api_url,
            defaults={
                "app_id": app["id"],
                "token": token,
                "jwks": keys,
                "jwks_fetched_at": timezone.now(),
                "installed_at": timezone.now(),
                "schema_version": request.headers.get("Saleor-Schema-Version", "")[:16],
                "removed_at": None,
            },
        )
    transaction.on_commit(forget_installations)
    return JsonResponse({"success": True})


# Exempt from CSRF because no browser session is involved: each delivery is authenticated by the
# store's RS256 signature over the raw body (saleor_sdk, with the store's own JWKS).
@csrf_exempt
@require_POST
def webhooks(request: HttpRequest) -> HttpResponse:
    """Verify one delivery and queue its work (deduplicated there); answer at once."""
    if _too_large(request):
        return _text("The delivery is too large.", 413)
    header_url = request.META.get("HTTP_SALEOR_API_URL", "")  # (request.headers parses them all)
    signature = request.META.get("HTTP_SALEOR_SIGNATURE", "")
    if not header_url or not signature:
        return _text("Saleor-Api-Url and Saleor-Signature are required.", 400)
    api_url = allowed_api_url(header_url)
    installation = installation_for(api_url) if api_url else None
    if installation is None:
        return _text("The app is not installed for this Saleor API URL.", 404)
    if installation.removed_at is not None:
        return _text("The app was removed from this Saleor store.", 410)
    body = request.body
    try:
        verify(installation, body, signature)
    except InvalidSignature as error:
        return _text(f"Invalid signature: {error}", 401)
    except SaleorError:  # the keys had to be fetched again, and the store did not give them
        return _text("The store's signing keys could not be fetched; try again.", 503)
    try:
        event = events.parse(json.loads(body))
    except (ValueError, RecursionError, events.BadPayload) as error:
        message = str(error) if isinstance(error, events.BadPayload) else "The body is not JSON."
        return _text(message, 400)
    now = timezone.now()
    if event.issued_at < now - timedelta(hours=saleor_settings.DEDUPLICATE_HOURS):
        return _text("The event is too old to be handled (a replay?).", 400)
    if event.issued_at > now + events.CLOCK_SKEW:
        return _text("The event is dated in the future: is a clock wrong?", 400)
    work = (
        installation.pk,
        hashlib.sha256(body).hexdigest(),
        event.name,
        event.data,
        event.issued_at.isoformat(),
    )
    if inbox.enabled():  # deduplicated and handed over in one round trip to Redis
        try:
            fresh = inbox.put(*work)
        except inbox.InboxUnavailable:
            return _text("The app's inbox (Redis) cannot be reached; try again.", 503)
        return _text("Accepted." if fresh else "Already received.", 200)
    # Deduplicated where the work is done (tasks.process_event records the digest): the request
    # writes nothing, so it is answered at once, and a retry racing its original is still caught.
    enqueue(tasks.process_sealed_event, tasks.seal(*work))
    return _text("Accepted.", 200)


@never_cache
@require_GET
def choices(request: HttpRequest) -> HttpResponse:
    """The marketing boxes a storefront shows, their wording and version, and the metadata key to
    write them under (:mod:`.choices`). Public and read-only: any storefront origin may read it."""
    boxes = [
        {"name": b.name, "label": b.label, "help_text": b.help_text, "version": b.version}
        for b in wording.boxes(testimonials=True)
    ]
    response = JsonResponse(
        {
            "metadata_key": saleor_settings.CHOICES_KEY,
            "legend": str(wording.legend()),
            "boxes": boxes,
        }
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
