"""A restriction reaches the store: its customer's marketing flags say "not allowed" while it
stands and what they chose once it is lifted (Art. 18, 19), through the Saleor notifier."""

import json

import pytest
from django.core.management import call_command

from jsg_privacy.marketing import api as marketing
from jsg_privacy.requests import cases, restriction
from jsg_privacy.requests.models import Status
from jsg_privacy.requests.notices import NoticeStatus
from tests.jsg_privacy.saleor.conftest import event

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]

EMAIL = "ann@example.com"
KEY = "jsg_privacy.marketing"


def flags_in(saleor):
    items = {m["key"]: m["value"] for m in saleor.users[EMAIL]["privateMetadata"]}
    return json.loads(items[KEY])


@pytest.fixture
def customer(installation, deliver, saleor, django_capture_on_commit_callbacks):
    user = saleor.add_user(EMAIL)
    payload = event(
        "CustomerCreated", user={"id": user["id"], "email": EMAIL, "privateMetafield": None}
    )
    assert deliver(payload).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        marketing.record_choices({"email": True, "post": True}, email=EMAIL)
    assert flags_in(saleor)["email"] is True
    return user


@pytest.fixture
def case(customer):
    return cases.open_case(
        kind="restriction",
        email=EMAIL,
        channel="email",
        identity_check="reply from the address",
        address_check="reply from the address",
    )


def test_restricting_and_lifting_rewrite_the_flags_in_saleor(
    case, saleor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = restriction.restrict(cases.subject_of(case), "accuracy contested", case=case)

    assert flags_in(saleor)["email"] is False  # restricted: no marketing, whatever was chosen
    assert flags_in(saleor)["post"] is False
    notice = case.recipient_notices.get(recipient="saleor")
    assert (notice.event, notice.status) == ("restricted", NoticeStatus.SENT)
    assert notice.result == "marketing flags re-written for 1 customer(s)"

    restriction.notify_before_lifting(item)
    with django_capture_on_commit_callbacks(execute=True):
        restriction.lift(item, reason="address checked")

    assert flags_in(saleor)["email"] is True  # what they chose, again
    assert item.recipient_notices.get(recipient="saleor", event="lifted").status == "sent"


def test_a_store_that_does_not_answer_leaves_the_request_waiting_until_a_retry(
    case, saleor, settings, django_capture_on_commit_callbacks
):
    settings.JSG_PRIVACY_SALEOR_TIMEOUT = 0.2
    saleor.delay = 1

    with django_capture_on_commit_callbacks(execute=True):
        restriction.restrict(cases.subject_of(case), "accuracy contested", case=case)

    case.refresh_from_db()
    assert case.status == Status.WAITING
    notice = case.recipient_notices.get(recipient="saleor")
    assert notice.status == NoticeStatus.FAILED
    assert "Saleor did not take the flags" in notice.error
    saleor.delay = 0

    call_command("privacy_notify_recipients", "--all")

    assert flags_in(saleor)["email"] is False
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
