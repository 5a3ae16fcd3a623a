"""Erasure also ends the subject's sessions and deletes their export files still stored, and
says so on the case."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from example_shop.factories import OrderFactory, UserFactory
from jsg_privacy.requests import cases, identity, service
from jsg_privacy.requests.models import ExportFile

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_erasure_signs_the_subject_out_everywhere_and_deletes_their_exports():
    customer, other = UserFactory(), UserFactory()
    identity.record_proof(customer, customer.email, identity.BY_LINK)
    OrderFactory(user=customer, email=customer.email)
    phone, laptop, theirs = signed_in(customer), signed_in(customer), signed_in(other)
    access = cases.open_case(
        kind="access", email=customer.email, channel="account", user=customer, identity_check="x"
    )
    file = service.run_export(access.pk)
    assert service.storage().exists(file.name)
    erasure = cases.open_case(
        kind="erasure", email=customer.email, channel="account", user=customer, identity_check="x"
    )

    service.run_erasure(erasure.pk)

    erasure.refresh_from_db()
    assert erasure.outcome["sessions_ended"] == 2
    assert erasure.outcome["export_files_deleted"] == 1
    assert not service.storage().exists(file.name)
    assert ExportFile.objects.get(pk=file.pk).deleted_at is not None
    for client in (phone, laptop):
        assert "_auth_user_id" not in client.session.load()
    assert theirs.session.load()["_auth_user_id"] == str(other.pk)
    assert Session.objects.count() == 1  # only the other customer's
