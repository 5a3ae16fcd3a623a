from datetime import date, datetime

import pytest

from jsg_privacy.registry import Action, LegalHold, Period, Retention, anonymisers
from tests.testapp.models import Ticket


@pytest.mark.parametrize(
    ("start", "period", "expected"),
    [
        (date(2020, 1, 31), Period(months=1), date(2020, 2, 29)),  # clamped to the month's end
        (date(2019, 4, 5), Period(years=7), date(2026, 4, 5)),  # tax records, 7 calendar years
        (date(2024, 2, 29), Period(years=1), date(2025, 2, 28)),
        (date(2024, 12, 31), Period(days=1), date(2025, 1, 1)),
    ],
)
def test_periods_are_calendar_periods(start, period, expected):
    assert period.after(start) == expected


def test_a_negative_period_is_not_valid():
    assert not Period(days=-1).is_valid
    assert not Period(years=1.5).is_valid
    assert Period(years=7).is_valid


def test_retention_reads_as_a_sentence():
    rule = Retention(
        anchor="answered_at", period=Period(days=30), anchor_label="after your enquiry is answered"
    )
    assert rule.describe() == "Kept for 30 days after your enquiry is answered, then deleted"
    immediate = Retention(anchor="answered_at", anchor_label="once answered")
    assert immediate.describe() == "Deleted once answered"
    anonymise = Retention(anchor="completed_at", period=Period(years=7), action=Action.ANONYMISE)
    assert anonymise.describe() == "Kept for 7 years after completed at, then anonymised"


def test_a_legal_hold_runs_until_its_period_after_the_anchor():
    hold = LegalHold(anchor="created_at", period=Period(years=7), reason="HMRC")
    ticket = Ticket(created_at=datetime(2020, 3, 1, 12, 0))
    assert hold.until(ticket) == datetime(2027, 3, 1, 12, 0)
    assert hold.until(Ticket(created_at=None)) is None


def test_default_anonymisers_never_keep_the_old_value():
    ticket = Ticket(pk=7, email="ann@example.com", phone="07700 900123", body="my meter")
    fields = {f.name: f for f in Ticket._meta.get_fields()}
    assert anonymisers.default_for(fields["email"])(ticket, ticket.email) == "erased-7@invalid"
    assert anonymisers.default_for(fields["phone"])(ticket, ticket.phone) == ""  # optional: emptied
    assert anonymisers.default_for(fields["body"])(ticket, ticket.body) == "[erased]"
    assert anonymisers.keep_outward_postcode(ticket, "ss14 3ab") == "SS14"
