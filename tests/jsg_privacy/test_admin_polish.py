"""What staff see in the admin: overdue only when overdue, one consent log, buttons where the work is."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jsg_privacy.requests import cases
from jsg_privacy.requests.models import Case

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
