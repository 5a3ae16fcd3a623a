"""The Art. 12A clock: it starts on identity, pauses for clarification, and the days paused move
the due date — across month ends, with extensions after a pause, in the overdue list."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse

from jsg_privacy.requests import cases, clock
from jsg_privacy.requests.models import Case, Status

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
REPLY = re.compile(r"https?://testserver(/privacy/requests/answer/[^/\s]+/)")
QUESTION = "Which of your two accounts do you mean? We hold one for each address you gave."


def on(day: date, hour: int = 10):
    """Travel to ``day`` (shop time); the clock stands still meanwhile."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=LONDON), tick=False
    )


def reply_url(token):
    return f"https://testserver{reverse('jsg_privacy:requests:answer', args=[token])}"


def web_request(received: date, verified: date | None = None) -> Case:
    with on(received):
        case = cases.open_case(kind="access", email="ann@example.com", channel="web_form")
    if verified is not None:
        with on(verified):
            cases.mark_verified(case, "signed link e-mailed to the requester's address")
    case.refresh_from_db()
    return case


def pause(case: Case, asked: date, answered: date) -> int:
    with on(asked):
        clock.ask(case, QUESTION, reply_url=reply_url)
    with on(answered):
        days = clock.resume(case, "The one ending in .net", how="by telephone")
    case.refresh_from_db()
    return days


def test_the_clock_starts_when_identity_is_confirmed_not_at_receipt():
    case = web_request(received=date(2026, 1, 20))
    assert case.clock_started_at is None
    assert not Case.objects.overdue(date(2026, 6, 1))  # never overdue before the clock starts
    with on(date(2026, 1, 31)):
        cases.mark_verified(case, "signed link")
    case.refresh_from_db()
    assert case.received_at.date() == date(2026, 1, 20)
    assert case.clock_started_at.date() == date(2026, 1, 31)
    assert case.due_on == date(2026, 2, 28)  # one month from Jan 31: Feb's last day
    assert case.events.filter(action="clock started").exists()


def test_an_account_holders_request_starts_the_clock_at_receipt():
    with on(date(2028, 1, 31)):
        case = cases.open_case(
            kind="access", email="ann@example.com", channel="account", identity_check="log-in"
        )
    assert case.clock_started_at == case.verified_at
    assert case.due_on == date(2028, 2, 29)  # a leap year


def test_a_case_paused_for_ten_days_is_due_ten_days_later_and_says_why():
    case = web_request(date(2026, 3, 2), verified=date(2026, 3, 2))
    assert case.due_on == date(2026, 4, 2)
    assert pause(case, asked=date(2026, 3, 10), answered=date(2026, 3, 20)) == 10
    assert case.due_on == date(2026, 4, 12)
    assert case.paused_days == 10
    assert case.paused_since is None
    resumed = case.events.get(action="clock resumed: clarification answered")
    assert "paused 10 days; due 2026-04-12 (was 2026-04-02)" in resumed.detail
    question = case.clarifications.get()
    assert (question.days_paused, question.answered_how) == (10, "by telephone")


@pytest.mark.parametrize(
    ("verified", "asked", "answered", "due"),
    [
        # Paused across January's end: Jan 28 -> Feb 7 is 10 days.
        (date(2026, 1, 15), date(2026, 1, 28), date(2026, 2, 7), date(2026, 2, 25)),
        # Due on Feb's last day; paused across it: Feb 25 -> Mar 3 is 6 days (2026).
        (date(2026, 1, 31), date(2026, 2, 25), date(2026, 3, 3), date(2026, 3, 6)),
        # The same in a leap year: Feb 25 -> Mar 3 is 7 days; due Feb 29 + 7.
        (date(2028, 1, 31), date(2028, 2, 25), date(2028, 3, 3), date(2028, 3, 7)),
        # Paused across a year's end.
        (date(2026, 12, 1), date(2026, 12, 20), date(2027, 1, 5), date(2027, 1, 17)),
    ],
)
def test_pauses_across_month_ends_add_calendar_days(verified, asked, answered, due):
    case = web_request(verified, verified=verified)
    pause(case, asked, answered)
    assert case.due_on == due


def test_an_extension_after_a_pause_runs_from_the_adjusted_date_and_a_later_pause_moves_it():
    case = web_request(date(2026, 1, 31), verified=date(2026, 1, 31))
    assert case.due_on == date(2026, 2, 28)
    pause(case, date(2026, 2, 5), date(2026, 2, 15))
    assert case.due_on == date(2026, 3, 10)
    with on(date(2026, 3, 1)):
        cases.extend(case, months=2, reason="Your records span three systems.")
    case.refresh_from_db()
    assert case.extended_until == date(2026, 5, 10)
    pause(case, date(2026, 4, 28), date(2026, 5, 3))
    assert (case.due_on, case.extended_until, case.paused_days) == (
        date(2026, 3, 15),
        date(2026, 5, 15),
        15,
    )


def test_the_overdue_list_uses_the_adjusted_date_and_skips_a_paused_case():
    case = web_request(date(2026, 3, 2), verified=date(2026, 3, 2))
    with on(date(2026, 3, 30)):
        clock.ask(case, QUESTION, reply_url=reply_url)
    # Waiting for the requester: past the first due date, yet not overdue.
    assert not Case.objects.overdue(date(2026, 4, 10))
    with on(date(2026, 4, 9)):
        clock.resume(case, "The .net one", how="by letter")
        case.refresh_from_db()
        assert case.due_on == date(2026, 4, 12)
        assert not case.is_overdue
    assert not Case.objects.overdue(date(2026, 4, 12))
    assert list(Case.objects.overdue(date(2026, 4, 13))) == [case]


def test_the_requester_answers_through_the_emailed_link_once(client):
    case = web_request(date(2026, 3, 2), verified=date(2026, 3, 2))
    with on(date(2026, 3, 10)):
        clock.ask(case, QUESTION, reply_url=reply_url)
    message = mail.outbox[-1]
    assert message.to == ["ann@example.com"]
    assert QUESTION in message.body
    assert "paused" in message.body
    path = REPLY.search(message.body).group(1)

    with on(date(2026, 3, 20)):
        page = client.get(path)
        assert page.status_code == 200
        assert "Which of your two accounts" in page.text
        empty = client.post(path, {"answer": "  "})
        assert empty.status_code == 200
        assert empty.context["form"].errors["answer"]
        case.refresh_from_db()
        assert case.paused_since is not None  # nothing recorded
        done = client.post(path, {"answer": "The one ending in .net"})
    assert done.status_code == 200
    assert "12 April 2026" in done.text
    case.refresh_from_db()
    assert (case.due_on, case.paused_days) == (date(2026, 4, 12), 10)
    assert case.clarifications.get().answer == "The one ending in .net"
    with on(date(2026, 3, 21)):
        again = client.post(path, {"answer": "again"})
    assert again.status_code == 410
    assert "answered already" in again.text


def test_forged_and_expired_reply_links_change_nothing(client, settings):
    case = web_request(date(2026, 3, 2), verified=date(2026, 3, 2))
    with on(date(2026, 3, 10)):
        question = clock.ask(case, QUESTION, reply_url=reply_url)
        token = clock.reply_token(question)
    forged = signing.dumps({"q": question.pk, "n": "0" * 32}, salt=clock.REPLY_SALT)
    assert (
        client.post(f"/privacy/requests/answer/{token[:-3]}xyz/", {"answer": "x"}).status_code
        == 400
    )
    assert client.post(f"/privacy/requests/answer/{forged}/", {"answer": "x"}).status_code == 410
    settings.JSG_PRIVACY_CLARIFICATION_NO_REPLY_DAYS = 10
    with on(date(2026, 4, 1)):  # 22 days: past the 10 days to answer and the week beyond
        expired = client.post(f"/privacy/requests/answer/{token}/", {"answer": "x"})
    assert expired.status_code == 410
    assert "expired" in expired.text
    case.refresh_from_db()
    assert case.paused_since is not None
    assert not case.clarifications.filter(answered_at__isnull=False).exists()


def test_clarification_is_refused_on_a_closed_unverified_paused_or_overdue_case_or_without_a_reason():
    unverified = web_request(date(2026, 3, 2))
    with pytest.raises(cases.CaseError, match="awaiting identity check"):
        clock.ask(unverified, QUESTION, reply_url=reply_url)
    done = web_request(date(2026, 3, 2), verified=date(2026, 3, 2))
    cases.complete(done, {})
    with pytest.raises(cases.CaseError, match="completed: no clarification"):
        clock.ask(done, QUESTION, reply_url=reply_url)
    case = web_request(date(2026, 3, 2), verified=date(2026, 3, 2))
    with pytest.raises(cases.CaseError, match="what you need to know and why"):
        clock.ask(case, "   ", reply_url=reply_url)
    with on(date(2026, 4, 3)), pytest.raises(cases.CaseError, match="overdue"):
        clock.ask(case, QUESTION, reply_url=reply_url)
    with on(date(2026, 3, 5)):
        clock.ask(case, QUESTION, reply_url=reply_url)
        with pytest.raises(cases.CaseError, match="already waits"):
            clock.ask(case, QUESTION, reply_url=reply_url)
    assert len(mail.outbox) == 1
    assert not Case.objects.get(pk=done.pk).clarifications.exists()


def test_no_answer_in_time_lets_staff_close_the_request_with_a_letter(client, settings):
    settings.JSG_PRIVACY_CLARIFICATION_NO_REPLY_DAYS = 30
    case = web_request(date(2026, 3, 2), verified=date(2026, 3, 2))
    with on(date(2026, 3, 10)):
        question = clock.ask(case, QUESTION, reply_url=reply_url)
    with pytest.raises(cases.CaseError, match="30 days"):
        clock.close_for_no_reply(case, today=date(2026, 4, 8))
    clock.close_for_no_reply(case, today=date(2026, 4, 9))
    case.refresh_from_db()
    assert case.status == Status.NO_REPLY
    letter = mail.outbox[-1]
    assert "closed" in letter.subject
    assert "10 March 2026" in letter.body
    assert "ico.org.uk" in letter.body
    assert not Case.objects.overdue(date(2027, 1, 1))
    with on(date(2026, 4, 9)):
        late = client.post(
            f"/privacy/requests/answer/{clock.reply_token(question)}/", {"answer": "x"}
        )
    assert late.status_code == 410
    with pytest.raises(cases.CaseError, match="no clarification"):
        clock.ask(case, QUESTION, reply_url=reply_url)


def test_staff_pause_and_resume_from_the_case_page_which_shows_both_times(admin_client):
    case = web_request(date(2026, 3, 2), verified=date(2026, 3, 4))
    change = reverse("admin:jsg_privacy_case_change", args=[case.pk])
    page = admin_client.get(change)
    assert "Clock started (Art. 12A)" in page.text
    assert "Ask for clarification" in page.text
    ask = reverse("admin:jsg_privacy_case_clarify", args=[case.pk])
    with on(date(2026, 3, 10)):
        assert admin_client.post(ask, {"question": ""}).status_code == 200
        assert not mail.outbox
        assert admin_client.post(ask, {"question": QUESTION}).status_code == 302
    assert REPLY.search(mail.outbox[-1].body)
    with on(date(2026, 3, 12)):
        paused = admin_client.get(change)
    assert "Paused since" in paused.text
    assert "Record the requester" in paused.text
    answer = reverse("admin:jsg_privacy_case_answer", args=[case.pk])
    with on(date(2026, 3, 20)):
        done = admin_client.post(
            answer, {"how": "by telephone", "answer": "The .net one"}, follow=True
        )
    assert "10 days paused" in done.text
    case.refresh_from_db()
    assert case.due_on == date(2026, 4, 14)
    trail = list(case.events.values_list("action", flat=True))
    assert "clock paused: clarification asked" in trail
    assert "clock resumed: clarification answered" in trail


def test_the_requester_sees_the_pause_on_your_data(client):
    from example_shop.factories import UserFactory

    user = UserFactory()
    with on(date(2026, 3, 2)):
        case = cases.open_case(
            kind="access", email=user.email, channel="account", user=user, identity_check="log-in"
        )
    with on(date(2026, 3, 10)):
        clock.ask(case, QUESTION, reply_url=reply_url)
        client.force_login(user)
        page = client.get(reverse("jsg_privacy:requests:your-data"))
    assert "waiting for your answer to our question" in page.text
