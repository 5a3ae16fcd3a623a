"""Addresses are kept as networks: IPv4 /24, IPv6 /48; anything else is not kept at all."""

import pytest
from django.test import RequestFactory

from jsg_privacy.usage import ip


@pytest.mark.parametrize(
    ("address", "kept"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("10.1.2.3", "10.1.2.0"),
        ("2001:db8:abcd:12:1::5", "2001:db8:abcd::"),
        ("2001:0db8:abcd:ffff:ffff:ffff:ffff:ffff", "2001:db8:abcd::"),
        ("::ffff:198.51.100.9", "198.51.100.0"),
        ("fe80::1%eth0", "fe80::"),
    ],
)
def test_valid_addresses_are_truncated(address, kept):
    assert ip.truncate(address) == kept


@pytest.mark.parametrize("address", ["", None, "localhost", "300.1.1.1", "1.2.3", "2001:db8:::1"])
def test_invalid_addresses_are_not_kept(address):
    assert ip.truncate(address) is None


def test_only_remote_addr_is_trusted():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert ip.client_address(request) == "192.0.2.10"


def test_is_truncated():
    assert ip.is_truncated("192.0.2.0")
    assert ip.is_truncated(None)
    assert not ip.is_truncated("192.0.2.10")
    assert not ip.is_truncated("2001:db8:abcd:1::1")


def test_control_characters_never_reach_the_database():
    from jsg_privacy.usage.record import printable

    assert printable("/verify/\x00<script>\r\n") == "/verify/<script>"
