"""The card-data guard: card numbers and security codes never reach the shop.

``CardDataGuardMiddleware`` refuses, with a 400, any request whose query or body holds a value that
looks like a payment card number (13-19 digits, Luhn-valid, written with or without single spaces or
dashes) or a filled-in field named like a card number or CVV. The value is never echoed or logged.
Fields named in ``JSG_PRIVACY_CARD_GUARD_EXEMPT_FIELDS`` pass when their validator accepts the value:
an MPAN core can pass the Luhn test. See docs/card-data-guard.md.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict, UnreadablePostError
from django.http.request import RawPostDataException
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from jsg_privacy.conf import app_settings

logger = logging.getLogger("jsg_privacy.payments.guard")

REFUSED_TEMPLATE = "jsg_privacy/payments/card_refused.html"
REFUSAL_MESSAGE = _(
    "For your safety we never accept card details on this site; card payments go straight to our "
    "payment provider."
)
MASK = "[card number removed]"

# A run of at least 13 digits, single separators between them, not glued to a word or a longer run.
_SEPARATOR = r"[ \-\u00a0]"
# (The first digit comes before the look-behinds so that the regex engine can skip to digits.)
_RUN = re.compile(rf"[0-9](?<!\w[0-9])(?<![0-9]{_SEPARATOR}[0-9])(?:{_SEPARATOR}?[0-9]){{12,}}")
# For log lines: also URL-encoded spaces ("+", "%20") and dashes ("%2D") of a raw request line.
_LOOSE_SEPARATOR = r"(?:[ \-\u00a0+]|%20|%2[dD])"
_LOOSE_RUN = re.compile(
    rf"[0-9](?<!\w[0-9])(?<![0-9][ \-\u00a0+][0-9])(?:{_LOOSE_SEPARATOR}?[0-9]){{12,}}"
)
_GROUPS = re.compile(r"[0-9]+")
_ENCODED_SEPARATOR = re.compile(r"%2[0dD]")
_GLUED_BEFORE = re.compile(r"[0-9][.,]|\w-")
_GLUED_AFTER = re.compile(r"-\w|[.,][0-9]|\w")
# No payment card starts with 0, 1, 20, 21, 28, 29 (Mastercard and Mir use 22-27) or 89 (a SIM
# card's ICCID): this keeps millisecond timestamps, zero-led phone numbers and ICCIDs out.
_NOT_A_CARD = re.compile(r"[01]|2[0189]|89")
# How card numbers are usually printed: Visa/Mastercard 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4.
_USUAL_GROUPINGS = ((4, 4, 4, 4, 3), (4, 4, 4, 4), (4, 6, 5), (4, 6, 4))
_IBAN_HEAD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}[ A-Za-z0-9]*$")
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)
MPAN_WEIGHTS = (3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43)


def luhn_valid(digits: str) -> bool:
    """Whether a string of ASCII digits passes the Luhn (mod 10) check that card numbers carry."""
    if not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        total += _DOUBLED[digit] if position % 2 else digit
    return total % 10 == 0


def _could_be_card(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and not _NOT_A_CARD.match(digits) and luhn_valid(digits)


def _card_in_run(groups: list[str]) -> int | None:
    """How many of ``groups`` form a card number: all of them, or a usually printed head of them
    followed by more digits (an expiry date or a CVV typed straight after the number)."""
    if _could_be_card("".join(groups)):
        return len(groups)
    if len(groups) > 1:
        sizes = tuple(len(group) for group in groups)
        heads = [1] + [
            len(g) for g in _USUAL_GROUPINGS if sizes[: len(g)] == g and len(sizes) > len(g)
        ]
        for head in heads:
            if _could_be_card("".join(groups[:head])):
                return head
    return None


def _is_iban_tail(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends an IBAN (a UK one holds 14 digits after its bank code)."""
    head = _IBAN_HEAD.search(text, max(0, start - 40), start)
    if head is None:
        return False
    iban = re.sub(r"[^A-Za-z0-9]", "", head.group() + text[start:end]).upper()
    return (
        15 <= len(iban) <= 34
        and int("".join(str(int(c, 36)) for c in iban[4:] + iban[:4])) % 97 == 1
    )


def _scan(text: str, pattern: re.Pattern[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end) of each digit run holding a card number, and the card number as written."""
    for match in pattern.finditer(text):
        start, end = match.span()
        before, after = text[max(0, start - 2) : start], text[end : end + 2]
        if before.endswith("+") or _GLUED_BEFORE.fullmatch(before):
            continue  # an international phone number, a decimal, a reference such as JSG-…
        if _GLUED_AFTER.match(after):
            continue  # glued to a word, or the integer part of a decimal
        # URL-encoded separators become spaces of the same length, so positions still hold.
        groups = list(_GROUPS.finditer(_ENCODED_SEPARATOR.sub("   ", match.group())))
        head = _card_in_run([group.group() for group in groups])
        if head is not None and not _is_iban_tail(text, start, end):
            yield start, end, text[start : start + groups[head - 1].end()]


def find_card_numbers(text: str) -> list[str]:
    """Every card-number-like value in ``text``, as written (with its spaces or dashes)."""
    if len(text) < 13:
        return []
    return [card for _start, _end, card in _scan(text, _RUN)]


def is_card_number(value: object) -> bool:
    """Whether ``value`` as a whole is a card-number-like value."""
    text = str(value).strip()
    return bool(re.fullmatch(rf"[0-9](?:{_SEPARATOR}?[0-9]){{12,18}}", text)) and _could_be_card(
        re.sub(r"[^0-9]", "", text)
    )


def mask_card_numbers(text: str, replacement: str = MASK) -> str:
    """``text`` with every card-number-like run replaced, including URL-encoded ones of a log line."""
    if len(text) < 13:
        return text
    parts, position = [], 0
    for start, end, _card in _scan(text, _LOOSE_RUN):
        parts += [text[position:start], replacement]
        position = end
    return "".join(parts) + text[position:] if parts else text


def is_mpan(value: object) -> bool:
    """Whether ``value`` is a 13-digit MPAN core (spaces or dashes allowed) with a valid check digit:
    the first 12 digits weighted by ``MPAN_WEIGHTS``, summed, mod 11, mod 10."""
    core = re.sub(r"[\s\-]", "", str(value))
    if len(core) != 13 or not core.isascii() or not core.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(core[:12], MPAN_WEIGHTS, strict=True))
    return total % 11 % 10 == int(core[12])


# -- field names -------------------------------------------------------------------------------

_WORDS = re.compile(r"[A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z]+[0-9]*|[0-9]+")
_CARD_NAME_ENDINGS = {
    tuple(name.split())
    for name in [
        "card number", "card no", "card num", "card nr", "cardnumber", "cardno", "cardnum",
        "cc number", "cc no", "cc num", "ccnumber", "ccno", "ccnum", "card pan",
        "primary account number", "cvv", "cvv2", "cvc", "cvc2", "csc", "cvn", "cvv code",
        "cvc code", "card verification", "card verification code", "card verification value",
        "card security code",
    ]
}  # fmt: skip
# Ordinary words elsewhere (a frying pan, an SMS security code): only as the whole name.
_CARD_WHOLE_NAMES = {("pan",), ("security", "code")}


@lru_cache(maxsize=2048)
def is_card_field_name(name: str) -> bool:
    """Whether a form field, JSON key (or dotted path) or model field is named like a card number
    or CVV: ``card_number``, ``cardNumber``, ``payment[card][number]``, ``cc-num``, ``cvv2``, ``pan``…

    Names are split into words (on ``_``, ``-``, ``.``, brackets and camelCase); a name matches when
    its last words are a card-number or CVV name. ``company``, ``span`` or ``cvc_check`` do not."""
    words = tuple(word.lower() for word in _WORDS.findall(name))
    if words in _CARD_WHOLE_NAMES:
        return True
    return any(words[-size:] in _CARD_NAME_ENDINGS for size in (1, 2, 3) if len(words) >= size)


# -- exemptions --------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _exempt_validator(path: str) -> Callable[[Any], Any]:
    try:
        return import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"JSG_PRIVACY_CARD_GUARD_EXEMPT_FIELDS names {path!r}, which cannot be imported: {error}"
        ) from error


def is_exempt(name: str, value: object) -> bool:
    """Whether the field ``name`` is in ``JSG_PRIVACY_CARD_GUARD_EXEMPT_FIELDS`` and its validator
    accepts ``value``: a predicate returning true, or a Django validator that does not raise."""
    path = app_settings.CARD_GUARD_EXEMPT_FIELDS.get(name)
    if path is None:
        return False
    try:
        accepted = _exempt_validator(path)(value)
    except ValidationError:
        return False
    return accepted is None or bool(accepted)


# -- requests ----------------------------------------------------------------------------------

BODY_FIELD = "(request body)"
_NO_BODY = {"GET", "HEAD", "OPTIONS", "TRACE"}
_FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}


class _Unreadable(Exception):
    """The client stopped sending the body; nothing of it can reach a view either."""


def _blank(value: object) -> bool:
    return (
        value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip())
    )


def _holds_card_data(name: str, path: str, value: object) -> bool:
    if _blank(value):
        return False
    hit = (
        is_card_field_name(name)
        or (path != name and is_card_field_name(path))
        or bool(find_card_numbers(value if isinstance(value, str) else str(value)))
    )
    return hit and not is_exempt(name, value)


def _inspect_pairs(pairs: Iterable[tuple[str, list[str]]]) -> str | None:
    for name, values in pairs:
        if find_card_numbers(name):
            return name
        for value in values:
            if _holds_card_data(name, name, value):
                return name
    return None


def _inspect_json(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON after all: look at it as text
        return BODY_FIELD if find_card_numbers(body.decode("utf-8", "replace")) else None
    stack: list[tuple[str, str, Any]] = [(BODY_FIELD, BODY_FIELD, data)]
    while stack:
        name, path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if find_card_numbers(key):
                    return key
                stack.append((key, key if path == BODY_FIELD else f"{path}.{key}", item))
        elif isinstance(value, list):
            stack.extend((name, path, item) for item in value)
        elif _holds_card_data(name, path, value):
            return path
    return None


def _body_field(request: HttpRequest) -> str | None:
    content_type = request.content_type or ""
    try:
        if content_type in _FORMS:
            if request.method == "POST":  # multipart: the text fields only, files stay unread
                return _inspect_pairs(request.POST.lists())
            if content_type == "multipart/form-data":
                return None  # Django parses multipart bodies of POST requests only
            return _inspect_pairs(QueryDict(request.body, encoding=request.encoding).lists())
        if content_type == "application/json" or content_type.endswith("+json"):
            return _inspect_json(request.body)
        if content_type.startswith("text/"):
            text = request.body.decode(request.encoding or "utf-8", "replace")
            return BODY_FIELD if find_card_numbers(text) else None
    except RawPostDataException:
        return None  # read as a stream before the guard ran: a view cannot read it again either
    except UnreadablePostError as error:
        raise _Unreadable from error
    return None  # files, images and other binary bodies are never read


def find_card_field(request: HttpRequest) -> str | None:
    """The name of the first query parameter or body field holding card data, or ``None``."""
    if request.META.get("QUERY_STRING"):
        field = _inspect_pairs(request.GET.lists())
        if field is not None:
            return field
    if request.method in _NO_BODY:
        return None
    return _body_field(request)


def _wants_json(request: HttpRequest) -> bool:
    content_type = request.content_type or ""
    return (
        content_type == "application/json"
        or content_type.endswith("+json")
        or "application/json" in request.headers.get("Accept", "")
    )


def refuse(request: HttpRequest) -> HttpResponse:
    """The 400 answer to a request carrying card data; it never repeats what was sent."""
    # Nothing on the page (a "next" link, a debug page) can echo the query or the form now.
    request.META["QUERY_STRING"] = ""
    request.GET = QueryDict()
    request.POST = QueryDict()
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse({"error": str(REFUSAL_MESSAGE)}, status=400)
    else:
        response = render(request, REFUSED_TEMPLATE, {"message": REFUSAL_MESSAGE}, status=400)
    add_never_cache_headers(response)
    return response


class CardDataGuardMiddleware:
    """Refuse requests carrying card data before any view, session or database sees them.

    Put it right after ``SecurityMiddleware``. It reads the query string when there is one, and the
    body of form, multipart (text fields only), JSON and ``text/*`` requests; nothing else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        try:
            field = find_card_field(request)
        except _Unreadable:
            return HttpResponse(status=400)
        if field is None:
            return self.get_response(request)
        logger.warning(
            "Refused %s %s: card data in the field %s (the value is not logged).",
            request.method,
            mask_card_numbers(request.path),
            mask_card_numbers(field),
        )
        return refuse(request)
