"""What counts as card data: card-number-like values, and names of card-number and CVV fields.

The rules are documented in docs/card-data-guard.md ("What counts as card data"); the middleware
(:mod:`jsg_privacy.payments.guard`), the logging filter, the form validators and system check E012
all use them. Searching is built to cost next to nothing on ordinary text: a text is first read as
bytes with its digits and separators translated (``could_hold_card_number``), and only a text that
could hold a card number is searched with the regular expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

MASK = "[card number removed]"

# -- reading the digits --------------------------------------------------------------------------

# Full-width digits and separators (a phone's or an East Asian keyboard) read as ASCII ones; one
# character for one, so that positions in the text still hold.
_FULL_WIDTH = re.compile(r"[\u3000\uff0b\uff0d-\uff19]")
_FOLD = {0x3000: " ", 0xFF0B: "+", 0xFF0D: "-", 0xFF0E: ".", 0xFF0F: "/"} | {
    0xFF10 + n: str(n) for n in range(10)
}


def fold(text: str) -> str:
    """``text`` with full-width digits and separators as ASCII ones (same length)."""
    if text.isascii() or not _FULL_WIDTH.search(text):
        return text
    return text.translate(_FOLD)


# A quick test first, with no false negatives. A text holds a card number only if it holds 13 digits;
# a run of a card only if, with the separators inside runs taken out, 13 digits in a row start with
# 2-9 (no card starts with 0 or 1: this lets millisecond timestamps through); a printed card only if
# it holds its middle groups (4-4 or 6 digits between separators).
_SEPARATORS = b" \t+-./\xc2\xa0"  # \xc2\xa0: a no-break space in UTF-8
_ALL_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_CARD_START = bytes.maketrans(b"0123456789", b"1100000000")
_RUN_SEPARATORS = b" +-\xc2\xa0"
_GROUPED = bytes.maketrans(b"0123456789" + _SEPARATORS, b"0" * 10 + b"." * len(_SEPARATORS))
_THIRTEEN = b"0" * 13


def could_hold_card_number(text: str) -> bool:
    """A quick test with no false negatives: ``False`` means ``text`` holds no card number."""
    if len(text) < 13:
        return False
    data = text.encode() if text.isascii() else fold(text).encode("utf-8", "surrogatepass")
    if len(data) < 256 and len(data) - len(data.translate(None, b"0123456789")) < 13:
        return False  # fewer than 13 digits in all (a long text has more, almost always)
    digits = data.translate(_ALL_ZERO, _RUN_SEPARATORS)
    position = digits.find(_THIRTEEN)
    if position >= 0:
        starts = data.translate(_CARD_START, _RUN_SEPARATORS)  # the same positions as digits
        while position >= 0:
            end = len(digits) - len(digits[position:].lstrip(b"0"))
            first = starts.find(b"0", position, end)
            if first >= 0 and end - first >= 13:
                return True
            position = digits.find(_THIRTEEN, end)
    grouped = data.translate(_GROUPED)
    if b".0000." in grouped:
        return (
            b".0000.0000." in grouped
            or b".0000..0000." in grouped
            or b".0000...0000." in grouped
            or b".000000." in grouped
        )
    return b".000000." in grouped


# -- the Luhn test and what no card starts with --------------------------------------------------

_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)
# No payment card starts with 0, 1, 20, 21, 28, 29 (Mastercard and Mir use 22-27) or 89 (a SIM
# card's ICCID): this keeps millisecond timestamps, zero-led phone numbers and ICCIDs out.
_NOT_A_CARD = re.compile(r"[01]|2[0189]|89")


def luhn_valid(digits: str) -> bool:
    """Whether a string of ASCII digits passes the Luhn (mod 10) check that card numbers carry."""
    if not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        total += _DOUBLED[digit] if position % 2 else digit
    return total % 10 == 0


def could_be_card(digits: str) -> bool:
    """Whether ``digits`` (ASCII digits only) are a card-number-like value."""
    return 13 <= len(digits) <= 19 and not _NOT_A_CARD.match(digits) and luhn_valid(digits)


# -- runs of digits ------------------------------------------------------------------------------

# How card numbers are printed: Visa/Mastercard 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4.
USUAL_GROUPINGS = ((4, 4, 4, 4, 3), (4, 4, 4, 4), (4, 6, 5), (4, 6, 4))

# A run: at least 13 digits, single spaces, no-break spaces or dashes anywhere between them, not
# glued to a word or a longer run. Only a run that starts as a card can (2-9) is matched at all; the
# look-behinds keep the rest of a run that starts otherwise out. (The first digit comes before the
# look-behinds so that the regex engine can skip to digits.)
_RUN = re.compile(r"[2-9](?<!\w[0-9])(?<![0-9][ \-\u00a0][0-9])(?:[ \-\u00a0]?[0-9]){12,}")
# For log lines: also URL-encoded spaces ("+", "%20") and dashes ("%2D") of a raw request line.
_LOOSE_SEP = r"(?:[ \-\u00a0+]|%20|%2[dD])"
_LOOSE_RUN = re.compile(
    rf"[2-9](?<!\w[0-9])(?<![0-9][ \-\u00a0+][0-9])(?:{_LOOSE_SEP}?[0-9]){{12,}}"
)

# A printed card: the groups of a usual grouping, with any separator between them, dots, slashes
# and two or three spaces included; not glued to a word, and not the middle of a run of numbers
# written with spaces (a run of numbers that merely follows a date or a path still counts).
_SEP = r"(?:[ \u00a0\t]{1,3}|[\-./])"
_LOOSE_WIDE_SEP = rf"(?:{_SEP}|\+{{1,3}}|(?:%20){{1,3}}|%2[dDfF])"
_NOT_MID_RUN = (
    r"[2-9](?<!\w[0-9])(?<![0-9][ \-\u00a0\t][0-9])"
    r"(?<![0-9][ \u00a0\t]{2}[0-9])(?<![0-9][ \u00a0\t]{3}[0-9])"
)


def _printed(sep: str) -> re.Pattern[str]:
    return re.compile(
        rf"{_NOT_MID_RUN}[0-9]{{3}}"
        rf"(?:{sep}[0-9]{{4}}{sep}[0-9]{{4}}{sep}[0-9]{{4}}(?:{sep}[0-9]{{3}})?"
        rf"|{sep}[0-9]{{6}}{sep}[0-9]{{4,5}})(?![0-9])"
    )


_PRINTED = _printed(_SEP)
_LOOSE_PRINTED = _printed(_LOOSE_WIDE_SEP)
_WIDE = re.compile(r"[./\t]|[ \u00a0]{2}|\+\+|%20%20|%2[fF]")

_GROUPS = re.compile(r"[0-9]+")
_ENCODED_SEPARATOR = re.compile(r"%2[0dDfF]")
_GLUED_BEFORE = re.compile(r"[0-9][.,]|\w-")
_GLUED_AFTER = re.compile(r"-\w|[.,][0-9]|\w")
_GLUED_AFTER_PRINTED = re.compile(r"-?\w")
_IBAN_HEAD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}[ A-Za-z0-9]*$")


def _card_in_run(groups: list[str]) -> int | None:
    """How many of ``groups`` form a card number: all of them, or a usually printed head of them
    followed by more digits (an expiry date or a CVV typed straight after the number)."""
    if could_be_card("".join(groups)):
        return len(groups)
    if len(groups) > 1:
        sizes = tuple(len(group) for group in groups)
        heads = [1] + [
            len(g) for g in USUAL_GROUPINGS if sizes[: len(g)] == g and len(sizes) > len(g)
        ]
        for head in heads:
            if could_be_card("".join(groups[:head])):
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


def _glued(text: str, start: int, end: int, after: re.Pattern[str] = _GLUED_AFTER) -> bool:
    before = text[max(0, start - 2) : start]
    if before.endswith("+") or _GLUED_BEFORE.fullmatch(before):
        return True  # an international phone number, a decimal, a reference such as JSG-…
    return bool(after.match(text, end))  # glued to a word, or the integer part of a decimal


def _scan(text: str, *, loose: bool = False) -> list[tuple[int, int, int]]:
    """(start, end of the run, end of the card) of each card number in ``text`` (already folded),
    in order; ``loose`` also reads URL-encoded separators (a log line)."""
    hits = []
    for match in (_LOOSE_RUN if loose else _RUN).finditer(text):
        start, end = match.span()
        if _glued(text, start, end):
            continue
        # URL-encoded separators become spaces of the same length, so positions still hold.
        groups = list(_GROUPS.finditer(_ENCODED_SEPARATOR.sub("   ", match.group())))
        head = _card_in_run([group.group() for group in groups])
        if head is not None and not _is_iban_tail(text, start, end):
            hits.append((start, end, start + groups[head - 1].end()))
    for match in (_LOOSE_PRINTED if loose else _PRINTED).finditer(text):
        start, end = match.span()
        if not _WIDE.search(match.group()) or _glued(text, start, end, _GLUED_AFTER_PRINTED):
            continue  # written with single spaces or dashes only: a run, looked at above
        groups = list(_GROUPS.finditer(_ENCODED_SEPARATOR.sub("   ", match.group())))
        digits = "".join(group.group() for group in groups)
        if could_be_card(digits):
            card_end = end
        elif len(groups) == 5 and could_be_card(digits[:16]):  # 4-4-4-4 and a CVV
            card_end = start + groups[3].end()
        else:
            continue
        if not any(s < end and start < e for s, e, _ in hits):
            hits.append((start, end, card_end))
    return sorted(hits)


def find_card_numbers(text: str) -> list[str]:
    """Every card-number-like value in ``text``, as written (with its spaces or dashes)."""
    if not could_hold_card_number(text):
        return []
    folded = fold(text)
    return [text[start:card_end] for start, _end, card_end in _scan(folded)]


def is_card_number(value: object) -> bool:
    """Whether ``value`` as a whole is a card-number-like value."""
    text = str(value).strip()
    if not could_hold_card_number(text):
        return False
    return [(start, card_end) for start, _end, card_end in _scan(fold(text))] == [(0, len(text))]


def mask_card_numbers(text: str, replacement: str = MASK) -> str:
    """``text`` with every card-number-like run replaced, including URL-encoded ones of a log line."""
    if "%" not in text and not could_hold_card_number(text):
        return text
    parts, position = [], 0
    for start, end, _card_end in _scan(fold(text), loose=True):
        parts += [text[position:start], replacement]
        position = end
    return "".join(parts) + text[position:] if parts else text


# -- a card number typed in parts ------------------------------------------------------------------

_PART = re.compile(r"\s*([0-9]{3,6})\s*")
_INDEX = re.compile(r"[0-9]+")


def split_card_number(fields: Iterable[tuple[str, object]]) -> list[str] | None:
    """The names of the fields that together hold a card number typed in parts, or ``None``.

    A card typed into four boxes (``card1`` … ``card4``, ``cc[0]`` … ``cc[3]``) is found when the
    fields whose names differ only in their digits hold, all of them and in order, the groups of a
    printed card (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4) and these pass as a card number. Several values
    of one name (a multiple choice of four 4-digit ids) are not parts: one choice in ten would pass.
    """
    parts: dict[str, list[tuple[str, str]]] = {}
    for name, value in fields:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and 3 <= len(value) <= 12:
            part = _PART.fullmatch(fold(value))
            if part is not None:
                parts.setdefault(_INDEX.sub("#", name), []).append((name, part.group(1)))
    for found in parts.values():
        sizes = tuple(len(digits) for _name, digits in found)
        names = [name for name, _digits in found]
        if (
            sizes in USUAL_GROUPINGS
            and len(set(names)) == len(names)
            and could_be_card("".join(digits for _name, digits in found))
        ):
            return names
    return None


# -- field names ---------------------------------------------------------------------------------

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
