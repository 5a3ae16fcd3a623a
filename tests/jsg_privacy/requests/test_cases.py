from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.utils import timezone

from example_shop.factories import OrderFactory, UserFactory
from jsg_privacy.requests import cases, service
from jsg_privacy.requests.models import Case, CaseEvent, ExportFile, Status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 15), date(2027, 1, 15)),
        (date(2026, 9, 3), date(2026, 10, 3)),
    ],
)
def test_the_due_date_is_one_calendar_month_across_month_ends(received, due):
    assert cases.due_date(received) == due


def open_access(email="ann@example.com", **kwargs):
    return cases.open_case(kind="access", email=email, channel="web_form", **kwargs)


def test_a_new_request_waits_for_its_identity_check_and_is_audited():
    case = open_access()
    assert case.status == Status.UNVERIFIED
    assert case.reference.startswith(f"DSR-{timezone.now():%Y}-")
    assert case.due_on == cases.due_date(timezone.localdate())
    assert list(case.events.values_list("action", flat=True)) == ["received"]


def test_the_identity_link_works_once():
    case = open_access()
    token = cases.verification_token(case)
    cases.send_verification(case, f"https://shop.example/verify/{token}/")
    assert mail.outbox[0].to == ["ann@example.com"]
    assert token in mail.outbox[0].body
    assert cases.verify(token).status == Status.OPEN
    with pytest.raises(cases.CaseError, match="already been used"):
        cases.verify(token)


def test_forged_and_expired_identity_links_are_refused():
    case = open_access()
    token = cases.verification_token(case)
    with pytest.raises(cases.CaseError, match="not valid"):
        cases.verify(token[:-2] + "xx")
    with pytest.raises(cases.CaseError, match="not valid"):
        cases.verify(signing.dumps({"c": case.pk, "n": case.verification_nonce}, salt="other"))
    later = timezone.now().timestamp() + 25 * 3600
    with (
        mock.patch("django.core.signing.time.time", return_value=later),
        pytest.raises(cases.CaseError, match="expired"),
    ):
        cases.verify(token)
    case.refresh_from_db()
    assert case.status == Status.UNVERIFIED


def test_staff_log_a_phone_request_with_how_identity_was_checked(admin_user):
    case = cases.open_case(
        kind="erasure",
        email="bob@example.com",
        channel="phone",
        identity_check="security questions on a call-back to the number on the account",
        actor=admin_user,
    )
    assert case.status == Status.OPEN
    assert case.identity_check.startswith("security questions")
    assert case.events.get(action="identity confirmed").actor == admin_user


def test_an_extension_needs_a_reason_is_at_most_two_months_and_tells_the_requester_in_time():
    case = open_access()
    with pytest.raises(cases.CaseError, match="clock has not started"):
        cases.extend(case, months=1, reason="complex")
    cases.mark_verified(case, "signed link")
    with pytest.raises(cases.CaseError, match="reason"):
        cases.extend(case, months=2, reason=" ")
    with pytest.raises(cases.CaseError, match="one or two months"):
        cases.extend(case, months=3, reason="complex")
    with pytest.raises(cases.CaseError, match="before the first due date"):
        cases.extend(case, months=1, reason="complex", today=case.due_on + timedelta(days=1))
    cases.extend(case, months=2, reason="Your records span three systems.")
    assert case.extended_until > case.due_on
    assert "three systems" in mail.outbox[-1].body
    assert case.deadline == case.extended_until


def test_overdue_cases_are_listed():
    late = open_access(identity_check="logged-in account holder")
    Case.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    open_access("bob@example.com")
    assert list(Case.objects.overdue()) == [Case.objects.get(pk=late.pk)]


def test_the_audit_trail_is_append_only():
    case = open_access()
    event = case.events.get()
    event.detail = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        CaseEvent.objects.all().delete()


def test_an_export_case_produces_a_file_that_expires(settings):
    user = UserFactory()
    OrderFactory(user=user, email=user.email)
    case = cases.open_case(
        kind="access", email=user.email, user=user, channel="account", identity_check="logged in"
    )
    file = service.run_export(case.pk)
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert case.outcome["rows"]["orders.Order"] == 1
    assert service.storage().exists(file.name)
    assert service.purge_expired_exports() == 0
    assert service.purge_expired_exports(now=file.expires_at + timedelta(seconds=1)) == 1
    assert not service.storage().exists(file.name)
    assert not ExportFile.objects.get().available


def test_a_failed_export_marks_the_case_failed_and_can_be_retried(monkeypatch):
    case = open_access()
    cases.mark_verified(case, "test", address=True)
    monkeypatch.setattr(service.export, "export", mock.Mock(side_effect=OSError("disk full")))
    assert service.run_export(case.pk) is None
    case.refresh_from_db()
    assert case.status == Status.FAILED
    assert "OSError" in case.failure_reason
    monkeypatch.undo()
    assert service.run_export(case.pk) is not None
    case.refresh_from_db()
    assert case.status == Status.COMPLETED


def test_an_unverified_request_never_produces_data():
    case = open_access()
    with pytest.raises(cases.CaseError, match="nothing to do"):
        service.run_export(case.pk)
    assert not ExportFile.objects.exists()


def test_an_erasure_case_erases_and_records_the_result_but_keeps_its_own_record():
    user = UserFactory()
    OrderFactory(user=user, email=user.email, invoiced_at=timezone.now())
    case = cases.open_case(
        kind="erasure", email=user.email, user=user, channel="account", identity_check="logged in"
    )
    service.run_erasure(case.pk)
    case.refresh_from_db()
    assert case.status == Status.COMPLETED  # every recipient was told at once
    steps = {s["source"]: s for s in case.outcome["steps"]}
    assert steps["orders.Order"]["held"] == 1
    assert steps["auth.User"]["deleted"] == 1
    assert "Suppliers and manufacturers in China" in case.outcome["recipients_told"]
    assert case.email == user.email  # the request's own record is kept as proof
