"""Global Privacy Control from a signed-in customer withdraws their consent to partner marketing
(passing their details to third parties for the partners' own marketing) at once, in the ledger.
"""

import pytest
from django.urls import reverse

from jsg_privacy.marketing import api

pytestmark = pytest.mark.django_db

URL = reverse("jsg_privacy:marketing:preferences")
PAGE = reverse("jsg_privacy:requests:new")  # any page: the middleware answers on every response


def partner_records(records):
    return [(r.action, r.channel) for r in records() if r.purpose == "partner_marketing"]


def test_gpc_from_a_signed_in_customer_withdraws_partner_marketing_at_once(
    customer, customer_client, records
):
    api.record_choices({"partners": True, "email": True}, user=customer, channel="signup")
    assert api.has_consent("partner_marketing", user=customer)

    customer_client.get(PAGE, HTTP_SEC_GPC="1")

    assert not api.has_consent("partner_marketing", user=customer)
    assert api.may_contact(user=customer)  # the shop's own e-mail: GPC is about third parties
    assert partner_records(records) == [("given", "signup"), ("withdrawn", "gpc")]

    for _ in range(5):  # a client repeating the header adds nothing
        customer_client.get(PAGE, HTTP_SEC_GPC="1")
    assert partner_records(records) == [("given", "signup"), ("withdrawn", "gpc")]


def test_a_choice_made_with_the_signal_on_stands(customer, customer_client, token_in, records):
    token = token_in(customer_client.get(URL).text)

    customer_client.post(
        URL, {"marketing_token": token, "marketing_partners": "on"}, HTTP_SEC_GPC="1"
    )
    customer_client.get(PAGE, HTTP_SEC_GPC="1")

    assert api.has_consent("partner_marketing", user=customer)  # ticked knowingly: it stands
    assert partner_records(records) == [("given", "preferences"), ("signal", "gpc")]


def test_a_later_consent_given_elsewhere_is_withdrawn_by_the_next_signal(
    customer, customer_client, records
):
    api.record_choices({"partners": True}, user=customer, channel="signup")
    customer_client.get(PAGE, HTTP_SEC_GPC="1")
    api.record_choices({"partners": True}, user=customer, channel="checkout")  # another device

    customer_client.get(PAGE, HTTP_SEC_GPC="1")

    assert not api.has_consent("partner_marketing", user=customer)
    assert partner_records(records)[-1] == ("withdrawn", "gpc")


def test_without_the_signal_or_signed_out_nothing_changes(customer, client, customer_client):
    api.record_choices({"partners": True}, user=customer, channel="signup")

    customer_client.get(PAGE)
    client.get(PAGE, HTTP_SEC_GPC="1")  # a visitor: only the cookie groups are refused

    assert api.has_consent("partner_marketing", user=customer)
