"""The storefront API's endpoints, JSON in and out, cross-origin from allowed storefronts only.

- ``OPTIONS`` (the browser's preflight) on any of them: 204 with the CORS headers for an allowed
  origin, 403 otherwise.
- ``POST visitor/``: a new signed visitor token for an anonymous visitor.
- ``GET choices/``: the cookie groups and marketing boxes (wording and versions), the caller's
  current choices (marketing for a customer only) and the groups not decided yet.
- ``POST cookies/`` ``{"choices": {group: bool}}``: cookie choices, one ledger record per group.
- ``POST marketing/`` ``{"choices": {box: bool}, "versions": {box: version}}``: a customer's
  marketing choices (an unticked box withdraws), one ledger record per change. With
  ``JSG_PRIVACY_STOREFRONT_CUSTOMER_CONTACT``, a medium switched on that the shop has no contact
  detail for (text messages without a phone number) refuses the whole call (400, ``unreachable``).

A call from an origin not on the allowlist, or without a valid visitor or customer token, gets a
403 and records nothing; a body that is not what is asked for gets a 400 and records nothing. CSRF
is replaced by these checks: the tokens travel in the ``Authorization`` header, which a
cross-site form cannot set, and no cookie is read.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from jsg_privacy.consent import groups, ledger
from jsg_privacy.consent.models import Action, Channel, ConsentRecord
from jsg_privacy.marketing import api as marketing
from jsg_privacy.marketing import wording
from jsg_privacy.storefront import tokens
from jsg_privacy.storefront.auth import Caller, Refused, allowed_origin, caller
from jsg_privacy.storefront.conf import storefront_settings

logger = logging.getLogger("jsg_privacy.storefront")

MAX_BODY = 16 * 1024
View = Callable[..., HttpResponse]


def _cors(response: HttpResponse, origin: str) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = origin
    response["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
    response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response["Access-Control-Max-Age"] = "600"
    response["Vary"] = "Origin"
    return response


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def endpoint(methods: tuple[str, ...], *, needs_caller: bool = True) -> Callable[[View], View]:
    """Allowed origin (CORS) and caller checks around a view taking ``(request, caller)``."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @never_cache
        @wraps(view)
        def wrapped(request: HttpRequest) -> HttpResponse:
            origin = allowed_origin(request)
            if origin is None:
                response = _error(403, "This origin may not call the storefront API.")
                response["Vary"] = "Origin"
                return response
            if request.method == "OPTIONS":
                return _cors(HttpResponse(status=204), origin)
            if request.method not in methods:
                return _cors(_error(405, "Method not allowed."), origin)
            try:
                who = caller(request) if needs_caller else None
            except Refused as error:
                return _cors(_error(403, str(error)), origin)
            return _cors(view(request, who), origin)

        return wrapped

    return decorate


def _body(request: HttpRequest) -> dict[str, Any] | None:
    if len(request.body) > MAX_BODY:
        return None
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _booleans(value: Any) -> dict[str, bool] | None:
    if not isinstance(value, dict) or not value:
        return None
    if not all(isinstance(k, str) and isinstance(v, bool) for k, v in value.items()):
        return None
    return value


def _newest(subject_key: str) -> dict[str, tuple[str, str] | None]:
    return {
        group.key: ConsentRecord.objects.filter(subject_key=subject_key, purpose=group.key)
        .order_by("-id")
        .values_list("action", "version")
        .first()
        for group in groups.current()
    }


def cookie_choices(subject_key: str) -> dict[str, bool]:
    """``{group: accepted}``: accepted only if the newest record is consent to the current text."""
    versions = groups.by_key()
    return {
        key: newest == (Action.GIVEN, versions[key].version)
        for key, newest in _newest(subject_key).items()
    }


def undecided(subject_key: str) -> list[str]:
    """The groups with no choice about their current text: the storefront asks about these."""
    versions = groups.by_key()
    return [
        key
        for key, newest in _newest(subject_key).items()
        if newest is None or newest[1] != versions[key].version
    ]


def _unreachable(email: str, chosen: Mapping[str, bool]) -> list[str] | None:
    """The boxes switched on now for a medium the shop has no contact detail for (asked of
    ``JSG_PRIVACY_STOREFRONT_CUSTOMER_CONTACT``); ``None`` if the shop could not be asked."""
    lookup = storefront_settings.CUSTOMER_CONTACT
    if not lookup:
        return []
    contact = import_string(lookup)
    current = marketing.current_choices(email=email)
    media = {b.name: b.medium for b in wording.boxes(testimonials=True)}
    unreachable = []
    for name, on in chosen.items():
        if not on or not media.get(name) or current.get(name):
            continue  # only a medium switched on now, not one already given
        try:
            detail = contact(email, media[name])
        except Exception as error:  # the shop's function (a store away, say): ask again later
            logger.warning(
                "The customer's contact details could not be read (%s).", type(error).__name__
            )
            return None
        if not str(detail or "").strip():
            unreachable.append(name)
    return unreachable


@endpoint(("POST",), needs_caller=False)
def visitor(request: HttpRequest, who: None) -> HttpResponse:
    return JsonResponse({"token": tokens.issue()}, status=201)


@endpoint(("GET",))
def choices(request: HttpRequest, who: Caller) -> HttpResponse:
    return JsonResponse(
        {
            "groups": [
                {
                    "key": g.key,
                    "label": str(g.label),
                    "description": str(g.description),
                    "version": g.version,
                }
                for g in groups.current()
            ],
            "cookies": cookie_choices(who.subject_key),
            "undecided": undecided(who.subject_key),
            "boxes": [
                {"name": b.name, "label": b.label, "help_text": b.help_text, "version": b.version}
                for b in wording.boxes(testimonials=True)
            ],
            "marketing": marketing.current_choices(email=who.email) if who.is_customer else None,
        }
    )


@endpoint(("POST",))
def cookies(request: HttpRequest, who: Caller) -> HttpResponse:
    body = _body(request)
    chosen = _booleans(body.get("choices")) if body else None
    known = groups.by_key()
    if chosen is None or set(chosen) - set(known):
        return _error(400, 'Send {"choices": {group: true|false}} with the groups of GET choices/.')
    before = cookie_choices(who.subject_key)
    with transaction.atomic():
        for group, accepted in chosen.items():
            if accepted:
                action = Action.GIVEN
            elif before[group]:
                action = Action.WITHDRAWN
            else:
                action = Action.REFUSED
            ledger.append(
                subject_key=who.subject_key,
                purpose=group,
                action=action,
                channel=Channel.STOREFRONT,
                version=known[group].version,
            )
    return JsonResponse({"cookies": cookie_choices(who.subject_key)})


@endpoint(("POST",))
def marketing_choices(request: HttpRequest, who: Caller) -> HttpResponse:
    if not who.is_customer:
        return _error(403, "Marketing choices need a signed-in customer's token.")
    body = _body(request)
    chosen = _booleans(body.get("choices")) if body else None
    versions = body.get("versions") if body else None
    boxes = {b.name: b.version for b in wording.boxes(testimonials=True)}
    if chosen is None or set(chosen) - set(boxes) or not isinstance(versions, dict):
        return _error(
            400, 'Send {"choices": {box: true|false}, "versions": {box: version}} (GET choices/).'
        )
    if any(versions.get(name) != boxes[name] for name in chosen):
        return _error(400, "A box was shown with another wording than the current one.")
    unreachable = _unreachable(who.email, chosen)
    if unreachable is None:
        return _error(503, "Your contact details could not be checked; please try again.")
    if unreachable:
        message = (
            "We have no way to send you these yet: add your contact details to your account "
            "first, or leave these boxes unticked."
        )
        return JsonResponse({"error": message, "unreachable": unreachable}, status=400)
    outcome = marketing.record_choices(
        chosen,
        channel=Channel.STOREFRONT,
        email=who.email,
        versions={name: boxes[name] for name in chosen},
        unticked_withdraws=True,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        proven=False,
    )
    return JsonResponse(
        {
            "given": outcome.given,
            "pending": outcome.pending,
            "withdrawn": outcome.withdrawn,
            "marketing": marketing.current_choices(email=who.email),
        }
    )
