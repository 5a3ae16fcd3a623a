"""What counts as card data, however it is typed: dots, slashes, several spaces, full-width digits,
or in parts over several fields; and the ordinary values of a shop that must not count."""

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jsg_privacy.payments.card_data import (
    _scan,
    could_hold_card_number,
    find_card_numbers,
    fold,
    is_card_number,
    luhn_valid,
    mask_card_numbers,
    split_card_number,
)

VISA = "4242424242424242"
AMEX = "378282246310005"
FULL_WIDTH = str.maketrans(
    "0123456789 -./", "".join(map(chr, range(0xFF10, 0xFF1A))) + "\u3000\uff0d\uff0e\uff0f"
)


def wide(text: str) -> str:
    return text.translate(FULL_WIDTH)


PRINTED = [
    pytest.param("4242.4242.4242.4242", id="dots"),
    pytest.param("4242/4242/4242/4242", id="slashes"),
    pytest.param("4242  4242  4242  4242", id="double spaces"),
    pytest.param("4242   4242   4242   4242", id="triple spaces"),
    pytest.param("4242\t4242\t4242\t4242", id="tabs"),
    pytest.param("4242.4242 4242/4242", id="mixed"),
    pytest.param("3782.822463.10005", id="amex with dots"),
    pytest.param("3782  822463  10005", id="amex with double spaces"),
    pytest.param(wide(VISA), id="full-width"),
    pytest.param(wide("4242 4242 4242 4242"), id="full-width with ideographic spaces"),
    pytest.param(wide("4242-4242-4242-4242"), id="full-width with dashes"),
    pytest.param(f"{wide('4242')} 4242 {wide('4242')} 4242", id="full-width mixed with ASCII"),
    pytest.param(wide("4242.4242.4242.4242"), id="full-width with full stops"),
]


@pytest.mark.parametrize("card", PRINTED)
def test_card_numbers_printed_with_other_separators_are_found(card):
    assert is_card_number(card)
    assert find_card_numbers(f"Please charge {card}, thanks") == [card]
    assert find_card_numbers(f"({card})") == [card]
    assert mask_card_numbers(f"card={card};") == "card=[card number removed];"


@pytest.mark.parametrize(
    ("text", "card"),
    [
        ("4242.4242.4242.4242.12.27", "4242.4242.4242.4242"),  # typed with its expiry
        ("4242/4242/4242/4242/123", "4242/4242/4242/4242"),
        ("4242  4242  4242  4242  12/27  123", "4242  4242  4242  4242"),
        ("/orders/2026/12/07/4242/4242/4242/4242/", "4242/4242/4242/4242"),  # after a date
        ("/orders/123/4242/4242/4242/4242/", "4242/4242/4242/4242"),
        ("/orders/4242424242424242/", VISA),  # a path segment
        ("/orders/4242424242424242/12/27/", VISA),
    ],
)
def test_a_printed_card_followed_or_preceded_by_other_numbers_is_found(text, card):
    assert find_card_numbers(text) == [card]


@pytest.mark.parametrize(
    "text",
    [
        "2026/12/07",
        "07.12.2026",
        "2026.12.07 12.30.45",
        "07/12/2026 14:30, 08/12/2026 09:15",
        "203.0.113.195, 70.41.3.18, 150.172.238.178",
        "192.168.100.200 10.0.0.1 172.16.254.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0.6367.91 Safari/537.36",
        "01268  773766",
        "+44  1268  773  766",
        "07700  900  456",
        "+44 (0)1268 773766 ext. 4242",
        "GA1.1.1234567890.1714567890",
        "fb.1.1714567890123.1234567890",
        "1234.5678.9012.3456",  # starts as no card does
        "8944.1000.0000.0000.0003",  # a SIM card's ICCID
        "4242.4242.4242.4241",  # fails the Luhn test
        "/orders/4242424242424241/",  # a long id that fails the Luhn test
        "/orders/171456789012345678/",
        "4242424242424242.50",  # a decimal
        "4242424242424242,50",
        "v1.2.3.4242",
        wide("07700 900456"),
        wide("2026/12/07"),
    ],
)
def test_ordinary_values_with_dots_slashes_and_spaces_are_not_card_numbers(text):
    assert find_card_numbers(text) == []
    assert mask_card_numbers(text) == text


def test_a_uk_phone_number_date_and_address_pass_together():
    text = "Call 01268  773766 or 07700 900 456 on 2026/12/07; IP 203.0.113.195; order JSG-000123."
    assert find_card_numbers(text) == []


@pytest.mark.parametrize(
    ("line", "card"),
    [
        ('"GET /cards/4242/4242/4242/4242/ HTTP/1.1" 400 120', "4242"),
        ('"GET /cards/4242%2F4242%2F4242%2F4242 HTTP/1.1" 400 120', "4242"),
        ('"GET /?q=4242++4242++4242++4242 HTTP/1.1" 400 120', "4242"),
        ('"GET /?q=4242%20%204242%20%204242%20%204242 HTTP/1.1" 400 120', "4242"),
        (f"note: {wide('4242 4242 4242 4242')}", wide("4242")),
    ],
)
def test_log_lines_are_masked_however_the_card_was_written(line, card):
    masked = mask_card_numbers(line)
    assert "[card number removed]" in masked
    assert card not in masked


def test_positions_hold_for_full_width_text():
    note = "".join(chr(0xFEE0 + ord(c)) for c in "Note:")  # full-width letters and colon
    text = f"{note}{wide('4242 4242 4242 4242')} end"
    assert fold(text).startswith(f"{note}4242 4242")
    assert len(fold(text)) == len(text)
    assert find_card_numbers(text) == [wide("4242 4242 4242 4242")]


# -- the quick test never hides a card number ----------------------------------------------------

_PIECES = st.sampled_from(
    [
        *"0123456789", *"0123456789", " ", "  ", "-", ".", "/", "\t", "\u00a0", "+", "x", ",",
        "\n", wide("4"), wide("2"), "\u3000", wide("4242"), "4242", "4242 ", "3782", "822463",
        "10005", "%20",
    ]
)  # fmt: skip


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=4, max_size=40).map("".join))
@example("x4242.4242.4242.4242")
@example("1-- 4242 4242 4242 4242")
@example("0 4242 4242 4242 4242")
@example("1 4242  4242  4242  4242")
def test_the_quick_test_has_no_false_negatives(text):
    folded = fold(text)
    if _scan(folded) or (_scan(folded, loose=True) and "%" not in text):
        assert could_hold_card_number(text)


# -- a card number typed in parts --------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        [("card1", "4242"), ("card2", "4242"), ("card3", "4242"), ("card4", "4242")],
        [("cc[0]", "4242"), ("cc[1]", "4242"), ("cc[2]", "4242"), ("cc[3]", "4242")],
        [("n_1", " 4242 "), ("n_2", 4242), ("n_3", wide("4242")), ("n_4", "4242")],
        [("amex1", "3782"), ("amex2", "822463"), ("amex3", "10005")],
        [
            ("p1", "4242"),
            ("email", "a@example.com"),
            ("p2", "4242"),
            ("p3", "4242"),
            ("p4", "4242"),
        ],
    ],
)
def test_a_card_number_typed_in_parts_is_found(fields):
    names = split_card_number(fields)
    assert names is not None
    assert len(names) in (3, 4)


@pytest.mark.parametrize(
    "fields",
    [
        [("card1", "4242"), ("card2", "4242"), ("card3", "4242"), ("card4", "4241")],  # Luhn
        [("a", "4242"), ("b", "4242"), ("c", "4242"), ("d", "4242")],  # unrelated fields
        [("r1", "4242"), ("r2", "4242"), ("r3", "4242"), ("r4", "4242"), ("r5", "4242")],
        [("product", "4242"), ("product", "4242"), ("product", "4242"), ("product", "4242")],
        [("day", "07"), ("month", "12"), ("year", "2026")],
        [("sort1", "12"), ("sort2", "34"), ("sort3", "56"), ("account", "12345678")],
        [("phone1", "01268"), ("phone2", "773"), ("phone3", "766")],
        [("qty_1", "1"), ("qty_2", "2"), ("qty_3", "3"), ("qty_4", "4")],
    ],
)
def test_other_runs_of_numbered_fields_are_not(fields):
    assert split_card_number(fields) is None


def test_the_parts_are_luhn_checked_as_one_number():
    parts = re.findall("....", VISA)
    assert luhn_valid("".join(parts))
    assert split_card_number([(f"c{n}", part) for n, part in enumerate(parts)]) is not None
