"""What staff see in the admin: overdue only when overdue, one consent log, buttons where the work is."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from example_shop.factories import OrderFactory, UserFactory
from jsg_privacy.requests import cases
from jsg_privacy.requests.models import Case, Kind, Status

pytestmark = pytest.mark.django_db


def without_csrf_token(user):
    """A browser for ``user`` whose POSTs carry no CSRF token."""
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    return strict


def staff_who_may(*codenames):
    """A browser for a staff member with only these permissions."""
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    browser = Client()
    browser.force_login(staff)
    return staff, browser


def row_of(page, text):
    """The change list's table row that shows ``text``."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page.text, flags=re.S)
    (row,) = [r for r in rows if text in r]
    return row


def test_overdue_is_shown_only_on_a_case_past_its_deadline(admin_client):
    def opened(email):
        check = "signed letter"
        return cases.open_case(
            kind="access", email=email, channel="letter", identity_check=check, address_check=check
        )

    late, on_time = opened("late@example.com"), opened("on.time@example.com")
    Case.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=1))

    page = admin_client.get(reverse("admin:jsg_privacy_case_changelist"))

    assert "Overdue" in row_of(page, late.reference)
    healthy = row_of(page, on_time.reference)
    assert "Overdue" not in healthy
    assert "icon-no" not in healthy  # no red cross on a case in time
    assert "icon-yes" not in healthy


def test_django_cookie_consents_own_log_is_not_in_the_admin(admin_client):
    from cookie_consent.models import LogItem

    assert not admin.site.is_registered(LogItem)
    with pytest.raises(NoReverseMatch):
        reverse("admin:cookie_consent_logitem_changelist")
    index = admin_client.get(reverse("admin:index"))
    assert "Log items" not in index.text
    assert "Consent" in index.text  # the ledger is still there


EXPORT_BUTTON = re.compile(
    r'<form method="post" action="(/admin/auth/user/\d+/export-personal-data/)">'
    r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>'
    r'<button type="submit"[^>]*>Export personal data</button>'
)


def test_the_customers_page_has_an_export_button_that_downloads_their_zip(admin_client):
    ann, bob = UserFactory(), UserFactory()
    OrderFactory(user=ann, email=ann.email)
    OrderFactory(user=bob, email=bob.email)

    page = admin_client.get(reverse("admin:auth_user_change", args=[ann.pk]))
    (url,) = EXPORT_BUTTON.findall(page.text)
    response = admin_client.post(url)

    assert response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"PK")
    case = Case.objects.get()
    assert (case.kind, case.user, case.status) == (Kind.ACCESS, ann, Status.COMPLETED)
    assert admin_client.get(url).status_code == 405  # a link cannot start it: POST only


def test_the_export_button_needs_the_csrf_token_and_the_permissions(admin_user):
    customer = UserFactory()
    url = reverse("admin:auth_user_export_personal_data", args=[customer.pk])
    assert without_csrf_token(admin_user).post(url).status_code == 403

    helpdesk, viewer = staff_who_may("view_user")
    page = viewer.get(reverse("admin:auth_user_change", args=[customer.pk]))
    assert page.status_code == 200
    assert not EXPORT_BUTTON.search(page.text)  # no button for who may only look
    assert viewer.post(url).status_code == 403
    helpdesk.user_permissions.add(Permission.objects.get(codename="change_user"))
    refused = viewer.post(url, follow=True)  # may change the customer, may not open requests
    assert "You may not open data-subject requests." in refused.text
    assert not Case.objects.exists()


def test_recipients_are_listed_by_their_declared_names(admin_client):
    from jsg_privacy.requests import service

    customer = UserFactory()
    OrderFactory(user=customer, email=customer.email, invoiced_at=timezone.now())
    check = "call-back to the number on the account"
    case = cases.open_case(
        kind="erasure", email=customer.email, user=customer, channel="phone", identity_check=check
    )
    plan = admin_client.get(reverse("admin:jsg_privacy_case_erase", args=[case.pk])).text
    service.run_erasure(case.pk)
    notices = admin_client.get(reverse("admin:jsg_privacy_recipientnotice_changelist"))
    chosen = admin_client.get(
        reverse("admin:jsg_privacy_recipientnotice_changelist"), {"recipient": "suppliers_china"}
    )

    for page in (plan, notices.text, chosen.text):
        assert "Suppliers and manufacturers in China" in page
    for internal in ("suppliers_china", "group_companies", "cloud_services"):
        assert f">{internal}<" not in notices.text  # the filter names them, not their keys
        assert internal not in plan
    assert [n.recipient for n in chosen.context["cl"].result_list] == ["suppliers_china"]


RUN = reverse("admin:jsg_privacy_retentionrun_run")
ENQUIRIES = '<th scope="row">Enquiries</th>'


def test_run_retention_now_previews_a_dry_run_then_runs_on_confirmation(admin_client, mailoutbox):
    from example_shop.enquiries.models import Enquiry
    from example_shop.factories import EnquiryFactory
    from jsg_privacy.retention.models import RetentionRun

    long_ago = timezone.now() - timedelta(days=400)
    EnquiryFactory.create_batch(2, created_at=long_ago, answered_at=long_ago)
    EnquiryFactory(created_at=timezone.now(), answered_at=timezone.now())
    runs = admin_client.get(reverse("admin:jsg_privacy_retentionrun_changelist"))
    assert f'href="{RUN}"' in runs.text

    preview = admin_client.get(RUN)

    assert "This is a dry run" in preview.text
    assert row_of(preview, ENQUIRIES).count("<td>2</td>") == 1  # 2 due, shown by name
    assert Enquiry.objects.count() == 3  # nothing changed, and nothing logged
    assert not RetentionRun.objects.exists()

    done = admin_client.post(RUN, follow=True)

    assert Enquiry.objects.count() == 1
    run = RetentionRun.objects.get()
    assert done.redirect_chain[-1][0] == reverse(
        "admin:jsg_privacy_retentionrun_change", args=[run.pk]
    )
    assert "Retention run finished." in done.text
    table = row_of(done, ENQUIRIES)  # the run's counts as a table, not a JSON blob
    assert "<td>2</td>" in table
    assert "&quot;deleted&quot;" not in done.text


def test_running_retention_needs_the_permission_and_the_csrf_token(admin_user):
    from example_shop.factories import EnquiryFactory
    from jsg_privacy.retention.models import RetentionRun

    long_ago = timezone.now() - timedelta(days=400)
    EnquiryFactory(created_at=long_ago, answered_at=long_ago)
    assert without_csrf_token(admin_user).post(RUN).status_code == 403

    _staff, viewer = staff_who_may("view_retentionrun")
    listing = viewer.get(reverse("admin:jsg_privacy_retentionrun_changelist"))
    assert "Run retention now" not in listing.text
    assert viewer.get(RUN).status_code == 403
    assert viewer.post(RUN).status_code == 403
    assert not RetentionRun.objects.exists()
