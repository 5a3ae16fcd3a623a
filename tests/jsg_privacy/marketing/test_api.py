"""Recording choices: the ledger and the current state together, and what may_contact answers."""

import pytest

from jsg_privacy.consent import ledger
from jsg_privacy.crypto import subjects
from jsg_privacy.marketing import api
from jsg_privacy.marketing.models import MarketingConsent, Suppression

pytestmark = pytest.mark.django_db

GUEST = "Amelia.Hughes@Example.co.uk"


def test_giving_consent_appends_to_the_ledger_and_answers_may_contact(records):
    outcome = api.record_choices({"email": True}, email=GUEST, channel="checkout")

    assert outcome.given == ["email"]
    (record,) = records()
    assert record.subject_key == subjects.for_email(GUEST)
    assert (record.purpose, record.action, record.channel, record.medium) == (
        "marketing",
        "given",
        "checkout",
        "email",
    )
    assert len(record.version) == 64
    assert record.notice_version
    assert api.may_contact(email=GUEST)
    assert api.may_contact(email="  amelia.hughes@example.co.uk ")  # the same address
    assert not api.may_contact(email=GUEST, medium="sms")
    assert not api.may_contact(email="someone.else@example.com")
    assert ledger.verify().ok


def test_nothing_personal_is_stored(records):
    api.record_choices({"email": True, "partners": True}, email=GUEST)

    stored = [*MarketingConsent.objects.values_list(), *records()]
    assert "amelia" not in repr(stored).lower()


def test_a_customer_is_recorded_by_user_key_and_found_by_e_mail_too(customer, records):
    api.record_choices({"sms": True}, user=customer, channel="signup")

    (record,) = records()
    assert record.subject_key == subjects.for_user(customer)
    row = MarketingConsent.objects.get()
    assert row.contact_key == subjects.for_email(customer.email)
    assert api.may_contact(user=customer, medium="sms")
    assert api.may_contact(email=customer.email, medium="sms")


def test_withdrawing_records_it_suppresses_the_medium_and_a_new_opt_in_lifts_it(records):
    api.record_choices({"email": True}, email=GUEST)
    api.record_choices({"email": False}, email=GUEST, channel="staff")

    assert [r.action for r in records()] == ["given", "withdrawn"]
    assert records()[-1].channel == "staff"
    assert not api.may_contact(email=GUEST)
    assert api.is_suppressed(GUEST)

    api.record_choices({"email": True}, email=GUEST, channel="preferences")

    assert [r.action for r in records()] == ["given", "withdrawn", "given"]
    assert not api.is_suppressed(GUEST)
    assert api.may_contact(email=GUEST)


def test_an_unticked_box_at_checkout_records_nothing(records):
    outcome = api.record_choices(
        {"email": False, "sms": False}, email=GUEST, unticked_withdraws=False
    )

    assert not outcome.changed
    assert records() == []
    assert not MarketingConsent.objects.exists()


def test_withdrawing_what_was_never_given_records_nothing(records):
    api.record_choices({"phone": False}, email=GUEST)

    assert records() == []
    assert not Suppression.objects.exists()


def test_partner_marketing_and_testimonials_are_purposes_of_their_own(customer, records):
    api.record_choices({"partners": True, "testimonials": True}, user=customer)

    assert sorted((r.purpose, r.medium) for r in records()) == [
        ("partner_marketing", ""),
        ("testimonials", ""),
    ]
    assert api.has_consent("partner_marketing", user=customer)
    assert api.has_consent("testimonials", user=customer)
    assert not api.may_contact(user=customer)  # neither is consent to our own marketing
    assert api.current_choices(user=customer) == {
        "email": False,
        "sms": False,
        "phone": False,
        "post": False,
        "partners": True,
        "testimonials": True,
    }


def test_the_state_changes_in_the_same_transaction_as_the_ledger(monkeypatch, records):
    def broken(**kwargs):
        raise RuntimeError("the ledger is unavailable")

    monkeypatch.setattr(ledger, "append", broken)

    with pytest.raises(RuntimeError):
        api.record_choices({"email": True, "post": True}, email=GUEST)

    assert not MarketingConsent.objects.exists()
    assert not api.may_contact(email=GUEST)


def test_unknown_boxes_and_missing_subjects_are_refused():
    with pytest.raises(ValueError, match="Unknown marketing boxes: fax"):
        api.record_choices({"fax": True}, email=GUEST)
    with pytest.raises(ValueError, match="user or an e-mail"):
        api.record_choices({"email": True})
    assert not api.may_contact()


def test_suppress_records_an_unsubscribe_even_without_recorded_consent(records):
    """A soft opt-in customer has no consent on record; their opt-out is recorded all the same."""
    assert api.suppress(GUEST)
    assert not api.suppress(GUEST)  # idempotent

    (record,) = records()
    assert (record.action, record.channel, record.medium) == ("unsubscribed", "api", "email")
    assert record.subject_key == subjects.for_email(GUEST)
    assert api.is_suppressed(GUEST)
    assert not api.is_suppressed(GUEST, medium="post")


def test_suppress_all_withdraws_every_medium_and_partner_marketing(customer, records):
    api.record_choices({"email": True, "post": True, "partners": True}, user=customer)

    assert api.suppress(customer.email, "all")

    assert not any(api.current_choices(user=customer).values())
    unsubscribed = [(r.purpose, r.medium) for r in records(action="unsubscribed")]
    assert ("marketing", "email") in unsubscribed
    assert ("marketing", "post") in unsubscribed
    assert ("partner_marketing", "") in unsubscribed
    assert {s.medium for s in Suppression.objects.all()} == {"email", "sms", "phone", "post"}
    # the customer's records are under their user key; media they never chose, under the e-mail's
    keys = {r.subject_key for r in records(action="unsubscribed", medium="email")}
    assert keys == {subjects.for_user(customer)}


def test_the_latest_choice_wins_across_a_guest_and_a_customer(customer, records):
    api.record_choices({"email": True}, email=customer.email, channel="checkout")  # as a guest
    assert api.may_contact(user=customer)

    api.record_choices({"email": False}, user=customer, channel="preferences")

    assert not api.may_contact(user=customer)
    assert not api.may_contact(email=customer.email)
    assert [r.subject_key for r in records(action="withdrawn")] == [
        subjects.for_email(customer.email)
    ]
