"""A subject's Saleor data joins their export; a store that times out does not sink the export."""

import zipfile

import pytest
from django.core.files.storage import storages

from example_shop.factories import EnquiryFactory
from jsg_privacy.requests import cases, service
from jsg_privacy.requests.models import CaseEvent, Channel, Kind, Status
from tests.jsg_privacy.saleor.conftest import export_of
from tests.jsg_privacy.saleor.fake_saleor import metadata

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]

EMAIL = "ann@example.com"


@pytest.fixture
def shopper(saleor):
    user = saleor.add_user(EMAIL, privateMetadata=metadata(**{"jsg_privacy.marketing": "{}"}))
    for _ in range(3):  # more than one page
        saleor.add_order(EMAIL)
    saleor.add_order("bob@example.com")
    saleor.add_checkout(EMAIL)
    card = saleor.add_gift_card("someone@example.com")
    user["giftCards"].append(card["id"])  # given to her
    saleor.add_gift_card(EMAIL)  # bought by her
    EnquiryFactory(email=EMAIL)
    return user


def test_saleor_data_joins_the_same_export_as_the_shop_s(installation, shopper):
    case, sources, names = export_of(EMAIL)

    assert case.status == Status.COMPLETED
    (profile,) = sources["saleor.customer"]
    assert profile["email"] == EMAIL
    assert profile["addresses"] == ["Ann Example, 1 High Street, Leeds, LS1 1AA, GB, +441632960000"]
    assert profile["private_metadata"] == ["jsg_privacy.marketing={}"]
    orders = sources["saleor.orders"]
    assert len(orders) == 3  # followed the pages; not Bob's
    assert orders[0]["total"] == "129.99 GBP"
    assert orders[0]["lines"] == ["1 x Smart meter SMETS2"]
    assert orders[0]["billing_address"].startswith("Ann Example, Ann Ltd, 1 High Street")
    (checkout,) = sources["saleor.checkouts"]
    assert checkout["lines"] == ["2 x CT clamp 100A"]
    assert {card["code_ending"] for card in sources["saleor.gift_cards"]} == {"ABC1", "ABC2"}
    assert len(sources["enquiries.Enquiry"]) == 1
    assert {"saleor.orders.csv", "saleor.customer.csv", "enquiries.Enquiry.csv"} <= names
    assert case.outcome["rows"]["saleor.orders"] == 3


def test_a_store_that_times_out_is_marked_missing_and_the_rest_is_delivered(
    installation, shopper, saleor, settings
):
    settings.JSG_PRIVACY_SALEOR_TIMEOUT = 0.2
    saleor.delay = 1

    case, sources, _ = export_of(EMAIL)

    assert case.status == Status.COMPLETED  # the file was delivered
    assert len(sources["enquiries.Enquiry"]) == 1
    for key in ("saleor.customer", "saleor.orders", "saleor.checkouts", "saleor.gift_cards"):
        assert sources[key] == []
        assert "missing from this export" in sources["missing"][key]
        assert "TimeoutError" in sources["missing"][key]
    assert "enquiries.Enquiry" not in sources["missing"]
    assert set(case.outcome["missing"]) == {
        "saleor.customer",
        "saleor.orders",
        "saleor.checkouts",
        "saleor.gift_cards",
    }
    gaps = CaseEvent.objects.filter(case=case, action="export incomplete")
    assert gaps.count() == 4
    assert "Your orders in our store" in " ".join(gaps.values_list("detail", flat=True))


def test_without_an_installation_saleor_sources_are_empty(db, shopper):
    _, sources, _ = export_of(EMAIL)

    assert sources["saleor.orders"] == []


def test_the_export_s_index_page_tells_the_requester_what_is_missing(
    installation, shopper, saleor, settings
):
    settings.JSG_PRIVACY_SALEOR_TIMEOUT = 0.2
    saleor.delay = 1
    case = cases.open_case(
        kind=Kind.ACCESS,
        email=EMAIL,
        channel=Channel.STAFF,
        identity_check="seen",
        address_check="replied to the address",
    )
    file = service.run_export(case.pk)
    with storages["default"].open(file.name) as handle:
        index = zipfile.ZipFile(handle).read("index.html").decode()
    assert "Missing from this export" in index
    assert "Your orders in our store" in index
