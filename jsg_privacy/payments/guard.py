"""The card-data guard: card numbers and security codes never reach the shop.

``CardDataGuardMiddleware`` refuses, with a 400, any request that carries a card-number-like value
(13-19 digits, Luhn-valid, written unbroken, with single spaces or dashes, or printed in groups with
dots, slashes or several spaces; full-width digits too) or a filled-in field named like a card
number or CVV: in its URL path, query, headers, cookies, or a form, JSON, XML or text body, including
a card number typed in parts over several fields. The value is never echoed or logged. Fields named
in ``JSG_PRIVACY_CARD_GUARD_EXEMPT_FIELDS`` pass when their validator accepts the value: an MPAN core
can pass the Luhn test. What counts as card data is :mod:`jsg_privacy.payments.card_data`; see
docs/card-data-guard.md.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextlib import suppress
from http.cookies import CookieError
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote_plus

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict, UnreadablePostError
from django.http.request import RawPostDataException
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from jsg_privacy.payments import request_fields
from jsg_privacy.payments.card_data import (
    MASK,
    could_hold_card_number,
    find_card_numbers,
    fold,
    is_card_field_name,
    is_card_number,
    luhn_valid,
    mask_card_numbers,
)
from jsg_privacy.payments.request_fields import is_exempt

__all__ = [
    "MASK",
    "CardDataGuardMiddleware",
    "Finding",
    "find_card_data",
    "find_card_field",
    "find_card_numbers",
    "is_card_field_name",
    "is_card_number",
    "is_exempt",
    "is_mpan",
    "luhn_valid",
    "mask_card_numbers",
    "refuse",
]

logger = logging.getLogger("jsg_privacy.payments.guard")

REFUSED_TEMPLATE = "jsg_privacy/payments/card_refused.html"
REFUSAL_MESSAGE = _(
    "For your safety we never accept card details on this site; card payments go straight to our "
    "payment provider."
)
MPAN_WEIGHTS = (3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43)


def is_mpan(value: object) -> bool:
    """Whether ``value`` is a 13-digit MPAN core (spaces or dashes allowed) with a valid check digit:
    the first 12 digits weighted by ``MPAN_WEIGHTS``, summed, mod 11, mod 10."""
    core = re.sub(r"[\s\-]", "", fold(str(value)))
    if len(core) != 13 or not core.isascii() or not core.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(core[:12], MPAN_WEIGHTS, strict=True))
    return total % 11 % 10 == int(core[12])


# -- requests ----------------------------------------------------------------------------------

BODY_FIELD = request_fields.BODY_FIELD
PATH_FIELD = "(URL path)"
_NO_BODY = {"GET", "HEAD", "OPTIONS", "TRACE"}
_FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}
_XML = {"application/xml", "text/xml"}


class Finding(NamedTuple):
    """Where a request carries card data: a field, the path, a header or a cookie (by name only)."""

    field: str
    header: str | None = None  #: the ``META`` key of the header
    cookie: str | None = None


class _Unreadable(Exception):
    """The client stopped sending the body; nothing of it can reach a view either."""


def _body_field(request: HttpRequest) -> str | None:
    content_type = request.content_type or ""
    try:
        if content_type in _FORMS:
            if request.method == "POST":  # multipart: the text fields only, files stay unread
                return request_fields.in_pairs(request.POST.lists())
            if content_type == "multipart/form-data":
                return None  # Django parses multipart bodies of POST requests only
            query = QueryDict(request.body, encoding=request.encoding)
            return request_fields.in_pairs(query.lists())
        if content_type == "application/json" or content_type.endswith("+json"):
            return request_fields.in_json(request.body)
        if content_type in _XML or content_type.endswith("+xml"):
            return request_fields.in_xml(_text(request))
        if content_type.startswith("text/"):
            return BODY_FIELD if find_card_numbers(_text(request)) else None
    except RawPostDataException:
        return None  # read as a stream before the guard ran: a view cannot read it again either
    except UnreadablePostError as error:
        raise _Unreadable from error
    return None  # files, images and other binary bodies are never read


def _text(request: HttpRequest) -> str:
    return request.body.decode(request.encoding or "utf-8", "replace")


def _in_url_encoded(value: str) -> bool:
    """Whether a header or cookie value holds a card number, as written or URL-decoded."""
    if find_card_numbers(value):
        return True
    return ("%" in value or "+" in value) and bool(find_card_numbers(unquote_plus(value)))


# Strings of request environments seen to hold no card number (header values, cookies, paths), so
# that what a browser sends on every request is not searched again each time. A bounded memo of a
# pure function: a string once found clean is clean for good.
_CLEAN: dict[str, None] = {}
_CLEAN_MAX_ENTRIES = 1024
_CLEAN_MAX_LENGTH = 4096


def _could_hold_card_data(request: HttpRequest) -> bool:
    """A quick look, with no false negatives, at the path and every header and cookie at once."""
    meta = request.META
    cookies = meta.get("HTTP_COOKIE", "")
    fresh = [
        value
        for value in meta.values()
        if value.__class__ is str
        and len(value) >= 13
        and value is not cookies
        and value not in _CLEAN
    ]
    also_clean = []
    if len(cookies) >= 13 and cookies not in _CLEAN:
        # Cookie by cookie: most of them stay the same from one request to the next.
        parts = cookies.split(";")
        if "\\" in cookies:  # quoted values with escapes: as Django reads them too
            parts += request.COOKIES.values()
        fresh += [part for part in parts if len(part) >= 13 and part not in _CLEAN]
        also_clean.append(cookies)
    if fresh:
        text = "\n".join(fresh)
        if could_hold_card_number(unquote_plus(text) if "%" in text else text):
            return True
    _remember(fresh + also_clean)
    return False


def _remember(clean: list[str]) -> None:
    if len(_CLEAN) > _CLEAN_MAX_ENTRIES:
        _CLEAN.clear()
    for value in clean:
        if len(value) <= _CLEAN_MAX_LENGTH:
            _CLEAN[value] = None


def _in_referer(url: str) -> bool:
    """Whether the URL of a Referer holds a card number: in its path, or in its query's fields but
    for exempt ones (the page a customer comes from may have had ``?mpan=…`` in its address)."""
    base, _, query = url.partition("?")
    return _in_url_encoded(base) or any(
        (find_card_numbers(value) and not is_exempt(name, value)) or find_card_numbers(name)
        for name, value in parse_qsl(query, keep_blank_values=True)
    )


def _in_path_or_headers(request: HttpRequest) -> Finding | None:
    """The path, or the first header or cookie, holding a card number."""
    meta = request.META
    path = request.path_info
    # The environment holds the path too, but a non-ASCII one only as undecoded bytes.
    if meta.get("PATH_INFO") != path and find_card_numbers(path):
        return Finding(PATH_FIELD)
    if not _could_hold_card_data(request):
        return None
    if find_card_numbers(path):
        return Finding(PATH_FIELD)
    # Cookies as Django reads them (quoted values unescaped), then as sent (a name sent twice).
    chunks = (chunk.partition("=") for chunk in meta.get("HTTP_COOKIE", "").split(";"))
    raw = [(name.strip(), value.strip()) for name, _, value in chunks]
    for name, cookie in [*request.COOKIES.items(), *raw]:
        if (_in_url_encoded(cookie) or _in_url_encoded(name)) and not is_exempt(name, cookie):
            return Finding(f"(cookie {name})", cookie=name)
    for key, value in meta.items():
        if not key.startswith("HTTP_") or key == "HTTP_COOKIE" or value.__class__ is not str:
            continue
        if value in _CLEAN:
            continue
        if _in_referer(value) if key == "HTTP_REFERER" else _in_url_encoded(value):
            return Finding(f"(header {key[5:].replace('_', '-').title()})", header=key)
        if key != "HTTP_REFERER":
            _remember([value])  # found clean: not searched again
    return None


def find_card_data(request: HttpRequest) -> Finding | None:
    """Where ``request`` carries card data (its path, query, headers, cookies or body), or ``None``."""
    finding = _in_path_or_headers(request)
    if finding is not None:
        return finding
    if request.META.get("QUERY_STRING"):
        field = request_fields.in_pairs(request.GET.lists())
        if field is not None:
            return Finding(field)
    if request.method in _NO_BODY:
        return None
    field = _body_field(request)
    return None if field is None else Finding(field)


def find_card_field(request: HttpRequest) -> str | None:
    """The name of the first field (or path, header, cookie) holding card data, or ``None``."""
    finding = find_card_data(request)
    return None if finding is None else finding.field


def _wants_json(request: HttpRequest) -> bool:
    content_type = request.content_type or ""
    return (
        content_type == "application/json"
        or content_type.endswith("+json")
        or "application/json" in request.headers.get("Accept", "")
    )


def refuse(request: HttpRequest, finding: Finding | None = None) -> HttpResponse:
    """The 400 answer to a request carrying card data; it never repeats what was sent.

    A cookie holding card data is deleted, so that the visitor's next request goes through."""
    wants_json = _wants_json(request)
    # Nothing on the page (a "next" link, a debug page) nor Django's log of the 400 can echo the
    # path, the query, the form or the header now.
    request.path = request.path_info = request.META["PATH_INFO"] = "/"
    request.META["QUERY_STRING"] = ""
    request.GET = QueryDict()
    request.POST = QueryDict()
    if finding is not None and finding.header:
        request.META.pop(finding.header, None)
    if finding is not None and finding.cookie:
        request.META.pop("HTTP_COOKIE", None)
        request.COOKIES = {}
    response: HttpResponse
    if wants_json:
        response = JsonResponse({"error": str(REFUSAL_MESSAGE)}, status=400)
    else:
        response = render(request, REFUSED_TEMPLATE, {"message": REFUSAL_MESSAGE}, status=400)
    # Links on the page must not send its address (which may hold the card number) as a Referer.
    response["Referrer-Policy"] = "no-referrer"
    if finding is not None and finding.cookie:
        # (A name no Set-Cookie can carry cannot be deleted: the visitor must clear it.)
        with suppress(CookieError):
            response.delete_cookie(finding.cookie)
    add_never_cache_headers(response)
    return response


class CardDataGuardMiddleware:
    """Refuse requests carrying card data before any view, session or database sees them.

    Put it right after ``SecurityMiddleware``. It reads the path, the query string, the headers and
    cookies, and the body of form, multipart (text fields only), JSON, XML and ``text/*`` requests;
    nothing else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        try:
            finding = find_card_data(request)
        except _Unreadable:
            return HttpResponse(status=400)
        if finding is None:
            return self.get_response(request)
        logger.warning(
            "Refused %s %s: card data in the field %s (the value is not logged).",
            request.method,
            mask_card_numbers(request.path),
            mask_card_numbers(finding.field),
        )
        return refuse(request, finding)
