"""The sign-up takeover: a stranger signs up with a guest's e-mail address and asks for the guest's
data — a copy, an erasure, a correction, a restriction. They must get nothing of the guest's.

The attacker goes through the shop's real pages (sign-up, "Your data", the download link); staff act
on the resulting cases as they would in the admin. The genuine owner of an address, who opens the
confirmation link e-mailed to it, gets their guest records: that is what proves the tests can fail.
"""

import io
import json
import re
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from example_shop.enquiries.models import Enquiry, QuoteRequest
from example_shop.factories import EnquiryFactory, OrderFactory, QuoteRequestFactory
from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.crypto import subjects
from jsg_privacy.marketing import api
from jsg_privacy.requests import cases, rectification, restriction, service
from jsg_privacy.requests.models import Case, Kind, Status

pytestmark = pytest.mark.django_db

VICTIM = "victim.guest@example.org"
PASSWORD = "a-long-and-unusual-passphrase-42"
YOUR_DATA = reverse("jsg_privacy:requests:your-data")
LINK = re.compile(r"https?://[^\s]+/privacy/requests/(?:address|download)/[^\s/]+/")


@pytest.fixture
def victim_data():
    """What the guest left: an order placed without an account, an enquiry and a quote request."""
    order = OrderFactory(
        email=VICTIM,
        full_name="Victoria Guest",
        phone="07700 900461",
        installation_line1="12 Meter Lane",
        installation_postcode="SS14 3AB",
        invoiced_at=timezone.now(),
    )
    enquiry = EnquiryFactory(email=VICTIM, name="Victoria Guest", phone="07700 900461")
    quote = QuoteRequestFactory(email=VICTIM, name="Victoria Guest")
    return order, enquiry, quote


VICTIM_TRACES = ("Victoria Guest", "07700 900461", "12 Meter Lane", "SS14 3AB")


def sign_up(email=VICTIM):
    """A stranger (or the owner) signs up on the shop's real page; returns their signed-in client."""
    client = Client()
    response = client.post(
        reverse("accounts:sign_up"),
        {
            "first_name": "Mallory",
            "last_name": "Stranger",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.text
    return client


def download_own_export(client, django_capture_on_commit_callbacks):
    """Press "Download my data", follow the e-mailed link, confirm the password: the ZIP's data."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jsg_privacy:requests:export"))
    link = LINK.findall(mail.outbox[-1].body)[-1]
    response = client.post(link, {"password": PASSWORD})
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def traces_in(files):
    text = "\n".join(files.values())
    return [trace for trace in VICTIM_TRACES if trace in text]


def test_sign_up_does_not_prove_the_address_the_owner_gets_the_link(victim_data):
    sign_up()

    assert mail.outbox[-1].to == [VICTIM]  # the link goes to the address, not to the stranger
    assert "Did you create an account with this e-mail address?" in mail.outbox[-1].subject
    stranger = Client()
    stranger.force_login(User.objects.get(email=VICTIM))
    your_data = stranger.get(YOUR_DATA)
    assert "is not confirmed yet" in your_data.text
    assert "Victoria" not in your_data.text


def test_the_stranger_s_download_holds_nothing_of_the_guest(
    victim_data, django_capture_on_commit_callbacks
):
    attacker = sign_up()

    files = download_own_export(attacker, django_capture_on_commit_callbacks)

    assert traces_in(files) == []
    data = json.loads(files["data.json"])
    counts = {source["key"]: len(source["records"]) for source in data["sources"]}
    assert counts["orders.Order"] == counts["enquiries.Enquiry"] == 0
    assert counts["enquiries.QuoteRequest"] == 0


def test_the_owner_who_opens_the_link_gets_their_guest_records(
    victim_data, django_capture_on_commit_callbacks
):
    owner = sign_up()
    confirm = LINK.findall(mail.outbox[-1].body)[-1]
    assert "We hold" not in owner.get(confirm).text  # the page only asks to confirm
    owner.post(confirm)

    files = download_own_export(owner, django_capture_on_commit_callbacks)

    assert traces_in(files) == list(VICTIM_TRACES)
    data = json.loads(files["data.json"])
    counts = {source["key"]: len(source["records"]) for source in data["sources"]}
    assert counts["orders.Order"] == counts["enquiries.Enquiry"] == 1


def test_the_stranger_s_erasure_leaves_the_guest_s_records(victim_data, admin_user):
    order, enquiry, quote = victim_data
    attacker = sign_up()

    attacker.post(reverse("jsg_privacy:requests:erase"), {"password": PASSWORD})
    case = Case.objects.get(kind=Kind.ERASURE)
    steps = service.run_erasure(case.pk, admin_user.pk)  # staff confirm it in the admin

    assert steps is not None
    assert not User.objects.filter(email=VICTIM).exists()  # the stranger's account is gone
    order.refresh_from_db()
    assert (order.full_name, order.phone, order.email) == ("Victoria Guest", "07700 900461", VICTIM)
    assert Enquiry.objects.get(pk=enquiry.pk).name == "Victoria Guest"
    assert QuoteRequest.objects.filter(pk=quote.pk).exists()
    done = {step["source"]: step["rows"] for step in Case.objects.get().outcome["steps"]}
    assert done["orders.Order"] == done["enquiries.Enquiry"] == 0


def test_the_erasure_page_does_not_reveal_that_the_guest_has_records(victim_data):
    attacker = sign_up()

    page = attacker.get(reverse("jsg_privacy:requests:erase"))
    plan = {row.label: row.rows for row in page.context["plan"]}

    assert all(rows == 0 for label, rows in plan.items() if "rder" in label or "nquir" in label)
    assert "is not confirmed yet" in page.text


def test_a_correction_for_the_stranger_cannot_reach_the_guest_s_order(victim_data, admin_user):
    order, _enquiry, _quote = victim_data
    attacker = sign_up()
    user = User.objects.get(email=VICTIM)
    case = cases.open_case(
        kind=Kind.RECTIFICATION,
        email=user.email,
        channel="account",
        user=user,
        details="My phone number on my order is wrong.",
        identity_check="logged-in account holder",
    )
    assert attacker  # signed up through the real page

    records = [row for _source, row in rectification.records_of(case)]
    assert order not in records
    with pytest.raises(cases.CaseError, match="not the requester's"):
        rectification.correct(case, order, {"phone": "07700 900999"}, actor=admin_user)
    order.refresh_from_db()
    assert order.phone == "07700 900461"


def test_a_restriction_for_the_stranger_does_not_restrict_the_guest(victim_data, admin_user):
    attacker = sign_up()
    attacker.post(
        reverse("jsg_privacy:requests:restrict"),
        {"kind": "restriction", "reason": "Stop using my data while I check it."},
    )
    case = Case.objects.get(kind=Kind.RESTRICTION)

    restriction.restrict(cases.subject_of(case), "accuracy contested", case=case, actor=admin_user)

    assert restriction.is_restricted(user=User.objects.get(email=VICTIM))
    assert not restriction.is_restricted(email=VICTIM)  # the guest's orders are still processed


def test_staff_exporting_the_stranger_see_what_was_left_out_and_why(victim_data, admin_client):
    sign_up()
    user = User.objects.get(email=VICTIM)

    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "export_user_personal_data", "_selected_action": [user.pk]},
    )

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert traces_in({n: archive.read(n).decode() for n in archive.namelist()}) == []
    notes = [str(m) for m in response.wsgi_request._messages]
    assert "the address is not proven, so 4 records found only through it were left out" in notes[0]
    assert "Orders: 1" in notes[0]
    assert "Quote requests: 1" in notes[0]
    case = Case.objects.get()
    assert case.status == Status.COMPLETED
    page = admin_client.get(reverse("admin:jsg_privacy_case_change", args=[case.pk]))
    assert "Found only by the address now" in page.text


# -- marketing: a stranger with the address can neither undo the owner's opt-out nor their choices --

PREFERENCES = reverse("jsg_privacy:marketing:preferences")
TOKEN = re.compile(r'name="marketing_token" value="([^"]+)"')


def save_preferences(client, **ticked):
    token = TOKEN.search(client.get(PREFERENCES).text)[1]
    data = {"marketing_token": token, **{f"marketing_{name}": "on" for name in ticked}}
    return client.post(PREFERENCES, data, follow=True)


def test_the_stranger_cannot_undo_the_owner_s_unsubscribe(django_capture_on_commit_callbacks):
    api.record_choices({"email": True}, email=VICTIM, channel="checkout")
    api.suppress(VICTIM, "email", channel="unsubscribe")
    assert not api.may_contact(email=VICTIM)
    attacker = sign_up()
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        save_preferences(attacker, email=True)

    assert api.is_suppressed(VICTIM, "email")
    assert not api.may_contact(email=VICTIM)
    assert not api.may_contact(user=User.objects.get(email=VICTIM))
    confirmation = mail.outbox[sent:]  # the owner decides, by the link sent to the address
    assert [m.to for m in confirmation] == [[VICTIM]]


def test_a_guest_checkout_cannot_undo_an_unsubscribe_either(django_capture_on_commit_callbacks):
    api.suppress(VICTIM, "email", channel="unsubscribe")

    with django_capture_on_commit_callbacks(execute=True):
        outcome = api.record_choices(
            {"email": True},
            email=VICTIM,
            channel="checkout",
            proven=False,
            base_url="https://shop.example",
        )

    assert outcome.pending == ["email"]
    assert api.is_suppressed(VICTIM, "email")
    assert mail.outbox[-1].to == [VICTIM]


def test_saving_the_stranger_s_preferences_leaves_the_owner_s_choices_alone():
    api.record_choices({"email": True, "sms": True}, email=VICTIM, channel="checkout")
    victim_key = subjects.for_email(VICTIM)
    records_before = ConsentRecord.objects.filter(subject_key=victim_key).count()
    attacker = sign_up()

    save_preferences(attacker, post=True)  # e-mail and SMS left unticked, as shown

    assert api.may_contact(email=VICTIM, medium="email")
    assert api.may_contact(email=VICTIM, medium="sms")
    assert not api.is_suppressed(VICTIM, "email")
    assert ConsentRecord.objects.filter(subject_key=victim_key).count() == records_before


def test_proving_an_address_never_releases_another_account_s_records(victim_data):
    """Rows that belong to an account are that account's: the address finds only guests' rows."""
    attacker = sign_up()
    attacker.post(
        reverse("jsg_privacy:requests:restrict"),
        {"kind": "restriction", "reason": "A note only the account holder wrote"},
    )
    account_order = OrderFactory(user=User.objects.get(email=VICTIM), email=VICTIM)
    request = cases.open_case(kind="access", email=VICTIM, channel="web_form")
    cases.mark_verified(request, "signed link e-mailed to the requester's address", address=True)

    file = service.run_export(request.pk)

    with service.storage().open(file.name) as handle:
        archive = zipfile.ZipFile(handle)
        text = archive.read("data.json").decode()
    assert "Victoria Guest" in text  # the guest's own records, by the proven address
    assert "A note only the account holder wrote" not in text
    assert account_order.reference not in text
