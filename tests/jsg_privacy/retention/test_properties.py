"""Property tests: with random timestamps, rules and holds, nothing goes early and nothing due stays."""

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from example_shop.enquiries.models import Enquiry
from example_shop.factories import EnquiryFactory
from jsg_privacy import registry as privacy
from jsg_privacy.retention import engine
from jsg_privacy.retention.policy import before

from .conftest import declare_enquiries

#: How much later than Period.after a month-end anchor may go (31 Jan + 1 month waits for 3 Mar).
SLACK = timedelta(days=3)

periods = st.builds(
    privacy.Period,
    years=st.integers(0, 3),
    months=st.integers(0, 14),
    days=st.integers(0, 40),
)
moments = st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2030, 12, 31))


@given(period=periods, anchor=moments, now=moments)
def test_before_is_the_safe_inverse_of_after(period, anchor, now):
    if anchor <= before(period, now):
        assert period.after(anchor) <= now  # never early
    if period.after(anchor) <= now - SLACK:
        assert anchor <= before(period, now)  # never more than SLACK late


NOW = datetime(2026, 6, 15, 12, 0)
offsets = st.integers(min_value=-4 * 365 * 24, max_value=24)  # hours from NOW
rows = st.lists(
    st.tuples(offsets, st.one_of(st.none(), st.integers(0, 24 * 60))), min_size=0, max_size=12
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=rows,
    period=periods,
    hold=st.one_of(st.none(), periods),
    batch=st.integers(1, 5),
    crash_after=st.one_of(st.none(), st.integers(1, 3)),
)
@pytest.mark.slow
def test_nothing_is_removed_before_its_time_and_everything_due_is_removed(
    rows, period, hold, batch, crash_after, monkeypatch
):
    from django.utils import timezone

    now = timezone.make_aware(NOW)
    with privacy.temporarily():
        erasure = (
            privacy.LegalHold(
                anchor="created_at", period=hold, reason="claims", then=privacy.Delete()
            )
            if hold
            else privacy.Delete()
        )
        declare_enquiries(privacy.Retention(anchor="answered_at", period=period), erasure)
        Enquiry.objects.all().delete()
        made = {}
        for created_offset, answered_after in rows:
            created = now + timedelta(hours=created_offset)
            answered = None if answered_after is None else created + timedelta(hours=answered_after)
            made[EnquiryFactory(created_at=created, answered_at=answered).pk] = (created, answered)

        if crash_after is not None:  # a crash between batches, then a rerun
            real, calls = engine._apply, {"n": 0}

            def crashing(*args):
                calls["n"] += 1
                if calls["n"] > crash_after:
                    raise RuntimeError("crash")
                return real(*args)

            monkeypatch.setattr(engine, "_apply", crashing)
            engine.enforce(now=now, batch=batch, warn=False)
            monkeypatch.undo()
        engine.enforce(now=now, batch=batch, warn=False)

        left = set(Enquiry.objects.values_list("pk", flat=True))
        for pk, (created, answered) in made.items():
            time_up = answered is not None and period.after(answered) <= now
            hold_over = hold is None or hold.after(created) <= now
            surely_due = (
                answered is not None
                and period.after(answered) <= now - SLACK
                and (hold is None or hold.after(created) <= now - SLACK)
            )
            if pk not in left:
                assert time_up, (pk, created, answered)
                assert hold_over, (pk, created)
            elif surely_due:
                pytest.fail(f"row {pk} answered {answered} is due but was kept")
