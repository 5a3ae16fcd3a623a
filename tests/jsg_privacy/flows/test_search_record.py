"""Every access or portability answer carries a record of what was searched (Art. 15(1A))."""

import json
import zipfile

import jsonschema
import pytest
from django.urls import reverse

from example_shop.factories import EnquiryFactory, OrderFactory, UserFactory
from jsg_privacy import registry as privacy
from jsg_privacy.flows import export
from jsg_privacy.registry import Subject, registry
from jsg_privacy.requests import cases, service
from tests.jsg_privacy.flows.test_export import FlakyCRM

pytestmark = pytest.mark.django_db


def exported(tmp_path, subject, **kwargs):
    path = tmp_path / "export.zip"
    summary = export.export(subject, path, **kwargs)
    archive = zipfile.ZipFile(path)
    data = json.loads(archive.read("data.json"))
    jsonschema.validate(data, json.loads(archive.read("schema.json")))
    return summary, data, archive.read("index.html").decode()


def by_source(entries):
    return {entry["source"]: entry for entry in entries}


def test_the_record_names_every_declared_source_with_what_was_found_and_redacted(tmp_path):
    user = UserFactory()
    OrderFactory.create_batch(2, user=user, email=user.email, placed_by_agent=True)
    OrderFactory(email=user.email)  # a guest order, found by address
    EnquiryFactory(email=user.email)
    summary, data, index = exported(tmp_path, Subject(user_id=user.pk, email=user.email))

    record = data["search_record"]
    assert record == summary.search_record
    searched = by_source(record["searched"])
    assert searched["orders.Order"]["rows"] == 3
    assert searched["orders.Order"]["found_by"] == ["account", "e-mail address"]
    assert searched["orders.Order"]["system"] == "database table"
    assert searched["enquiries.Enquiry"] == {
        "source": "enquiries.Enquiry",
        "label": searched["enquiries.Enquiry"]["label"],
        "system": "database table",
        "found_by": ["e-mail address"],
        "rows": 1,
    }
    assert searched["auth.User"]["rows"] == 1
    # Built from the registry: each declared source is either searched or excluded with a reason.
    excluded = by_source(record["excluded"])
    assert set(searched) | set(excluded) == set(registry.sources)
    assert not set(searched) & set(excluded)
    assert all(entry["reason"] for entry in record["excluded"])
    assert record["unavailable"] == []
    redactions = {(r["source"], r["field"]): r for r in record["redactions"]}
    assert redactions[("orders.Order", "agent_email")]["count"] == 2  # the agent is another person
    assert redactions[("orders.Order", "agent_email")]["type"] == "another person's data"

    assert "Where we searched" in index
    assert "values withheld (another person&#x27;s data)" in index


def test_records_found_only_by_an_unproven_address_are_excluded_and_say_why(tmp_path):
    user = UserFactory()
    EnquiryFactory(email=user.email)
    _, data, index = exported(tmp_path, Subject(user_id=user.pk), address_withheld=True)
    excluded = by_source(data["search_record"]["excluded"])
    assert "had not proven" in excluded["enquiries.Enquiry"]["reason"]
    assert "enquiries.Enquiry" not in by_source(data["search_record"]["searched"])
    assert "Not searched, and why" in index


def test_an_unreachable_remote_system_is_recorded_with_the_reason(tmp_path):
    user = UserFactory()
    with privacy.temporarily():
        privacy.registry.register_remote(FlakyCRM())
        _, data, index = exported(tmp_path, Subject(user.pk, user.email))
    record = data["search_record"]
    crm = by_source(record["searched"])["crm.contacts"]
    assert (crm["system"], crm["rows"]) == ("remote system", 1)
    assert by_source(record["unavailable"])["crm.contacts"]["reason"] == (
        "The CRM did not answer in time."
    )
    assert "Could not be searched" in index


def test_the_case_keeps_the_search_record_and_staff_see_it(admin_client, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    user = UserFactory()
    OrderFactory(user=user, email=user.email)
    case = cases.open_case(
        kind="access",
        email=user.email,
        channel="account",
        user=user,
        identity_check="log-in",
        address_check="log-in with a proven address",
    )
    service.run_export(case.pk)
    case.refresh_from_db()
    assert by_source(case.outcome["search_record"]["searched"])["orders.Order"]["rows"] == 1
    page = admin_client.get(reverse("admin:jsg_privacy_case_change", args=[case.pk]))
    assert "Search record (Art. 15(1A))" in page.text

    staff = cases.open_case(
        kind="portability", email=user.email, channel="phone", user=user, identity_check="call"
    )
    response = admin_client.post(reverse("admin:jsg_privacy_case_export", args=[staff.pk]))
    assert response["Content-Type"] == "application/zip"
    b"".join(response.streaming_content)
    staff.refresh_from_db()
    record = staff.outcome["search_record"]
    assert "had not proven" in by_source(record["excluded"])["enquiries.Enquiry"]["reason"]
    assert staff.events.filter(action="search recorded").exists()
