import pytest
from django.urls import reverse

from jsg_privacy.consent import ledger
from jsg_privacy.crypto import subjects

pytestmark = pytest.mark.django_db


def test_staff_read_the_ledger_but_cannot_change_it(admin_client):
    record = ledger.append(
        subject_key=subjects.for_consent_id("v"),
        purpose="analytics",
        action="given",
        channel="banner",
    )
    changelist = admin_client.get(reverse("admin:jsg_privacy_consentrecord_changelist"))
    assert changelist.status_code == 200
    assert "analytics" in changelist.content.decode()
    detail = admin_client.get(reverse("admin:jsg_privacy_consentrecord_change", args=[record.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert admin_client.get(reverse("admin:jsg_privacy_consentrecord_add")).status_code == 403
    delete = admin_client.post(
        reverse("admin:jsg_privacy_consentrecord_delete", args=[record.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert ledger.verify().checked == 1
