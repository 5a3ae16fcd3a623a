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
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)
    assert strict.post(url).status_code == 403

    helpdesk = UserFactory(is_staff=True)
    helpdesk.user_permissions.add(Permission.objects.get(codename="view_user"))
    viewer = Client()
    viewer.force_login(helpdesk)
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
