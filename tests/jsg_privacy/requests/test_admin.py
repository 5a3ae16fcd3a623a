"""The requests admin: the overdue list, a read-only audit trail, requests logged by staff, exports."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from example_shop.factories import OrderFactory, UserFactory
from jsg_privacy.requests import cases
from jsg_privacy.requests.models import Case, Channel, Kind, Status

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:jsg_privacy_case_changelist"


def open_case(email="ann@example.com", kind="access", verified=True, **kwargs):
    check = "signed link e-mailed to the requester's address" if verified else ""
    return cases.open_case(
        kind=kind,
        email=email,
        channel="web_form",
        identity_check=check,
        address_check=check,
        **kwargs,
    )


def change_url(case):
    return reverse("admin:jsg_privacy_case_change", args=[case.pk])


def act(client, action, *selected):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [c.pk for c in selected]}
    )


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def zip_of(response):
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_list_shows_deadlines_and_the_overdue_filter_lists_only_late_cases(admin_client):
    late = open_case("late@example.com")
    Case.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    on_time = open_case("on.time@example.com")

    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert late.reference in response.text
    assert on_time.reference in response.text

    overdue = admin_client.get(reverse(CHANGELIST), {"overdue": "yes"})
    assert [c.pk for c in overdue.context["cl"].result_list] == [late.pk]
    rest = admin_client.get(reverse(CHANGELIST), {"overdue": "no"})
    assert [c.pk for c in rest.context["cl"].result_list] == [on_time.pk]
    for search in (late.reference, "LATE@example.com"):
        found = admin_client.get(reverse(CHANGELIST), {"q": search})
        assert [c.pk for c in found.context["cl"].result_list] == [late.pk]
    for facet in (
        {"status__exact": "open"},
        {"kind__exact": "access"},
        {"channel__exact": "web_form"},
    ):
        assert admin_client.get(reverse(CHANGELIST), facet).status_code == 200


def test_the_case_and_its_audit_trail_are_read_only(admin_client):
    case = open_case()

    response = admin_client.get(change_url(case))

    assert response.status_code == 200
    assert "identity confirmed" in response.text  # the audit trail is on the case
    assert 'name="email"' not in response.text
    assert 'name="events-0-action"' not in response.text
    assert "events-empty" not in response.text  # no "add another" row
    assert admin_client.post(change_url(case), {"email": "x@example.com"}).status_code == 403
    with pytest.raises(NoReverseMatch):
        reverse("admin:jsg_privacy_caseevent_changelist")
    delete = reverse("admin:jsg_privacy_case_delete", args=[case.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    case.refresh_from_db()
    assert case.email == "ann@example.com"


def test_staff_log_a_phone_request_only_with_how_identity_was_checked(admin_client, admin_user):
    data = {"kind": "erasure", "channel": "phone", "email": "bob@example.com", "details": ""}

    refused = admin_client.post(reverse("admin:jsg_privacy_case_add"), data)
    assert refused.status_code == 200
    assert "identity_check" in refused.context["adminform"].form.errors
    assert not Case.objects.exists()

    check = "security questions on a call-back to the number on the account"
    response = admin_client.post(
        reverse("admin:jsg_privacy_case_add"), {**data, "identity_check": check}
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change_url(case)
    assert case.reference.startswith("DSR-")
    assert (case.status, case.channel, case.identity_check) == (Status.OPEN, "phone", check)
    assert case.due_on == cases.due_date(timezone.localdate())
    events = list(case.events.values_list("action", "actor"))
    assert events == [
        ("received", admin_user.pk),
        ("identity confirmed", admin_user.pk),
        ("clock started", admin_user.pk),
    ]


def test_the_add_form_offers_the_channels_staff_receive_requests_by(admin_client):
    response = admin_client.get(reverse("admin:jsg_privacy_case_add"))
    choices = dict(response.context["adminform"].form.fields["channel"].choices)
    assert set(choices) == {"phone", "letter", "email"}


def test_one_click_export_of_a_case_gives_its_zip_and_is_audited(admin_client, admin_user):
    ann, bob = UserFactory(), UserFactory()
    OrderFactory(user=ann, email=ann.email)
    OrderFactory(user=bob, email=bob.email)
    case = open_case(ann.email, user=ann)

    response = act(admin_client, "export_zip", case)

    archive = zip_of(response)
    data = archive.read("data.json").decode()
    assert ann.email in data
    assert bob.email not in data
    event = case.events.get(action="exported by staff")
    assert event.actor == admin_user
    assert "records" in event.detail
    assert ann.email not in event.detail


def test_the_case_export_refuses_unverified_requests_and_several_at_once(admin_client):
    unverified = open_case("who@example.com", verified=False)
    response = act(admin_client, "export_zip", unverified)
    assert response.status_code == 302
    assert any("identity is not confirmed" in m for m in texts(response))
    assert not unverified.events.filter(action="exported by staff").exists()

    several = act(
        admin_client, "export_zip", open_case("a@example.com"), open_case("b@example.com")
    )
    assert any("exactly one" in m for m in texts(several))


def test_the_export_button_on_a_case_posts_and_downloads(admin_client):
    case = open_case()
    url = reverse("admin:jsg_privacy_case_export", args=[case.pk])
    assert url in admin_client.get(change_url(case)).text
    assert admin_client.get(url).status_code == 302  # only a POST exports
    assert zip_of(admin_client.post(url)).namelist()


def test_one_click_export_from_the_customer_admin_holds_only_that_customer(
    admin_client, admin_user
):
    ann, bob = UserFactory(), UserFactory()
    OrderFactory(user=ann, email=ann.email)
    OrderFactory(user=bob, email=bob.email)

    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "export_user_personal_data", "_selected_action": [ann.pk]},
    )

    archive = zip_of(response)
    text = archive.read("data.json").decode()
    assert ann.email in text
    assert bob.email not in text
    data = json.loads(text)
    orders = next(s for s in data["sources"] if s["key"] == "orders.Order")
    assert len(orders["records"]) == 1
    case = Case.objects.get()
    assert (case.kind, case.channel, case.user, case.status) == (
        Kind.ACCESS,
        Channel.STAFF,
        ann,
        Status.COMPLETED,
    )
    assert case.events.get(action="exported by staff").actor == admin_user


def test_the_customer_export_takes_one_customer_at_a_time(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "export_user_personal_data",
            "_selected_action": [UserFactory().pk, UserFactory().pk],
        },
    )
    assert response.status_code == 302
    assert not Case.objects.exists()


def test_staff_without_case_permission_cannot_export_a_customer(client, django_user_model):
    staff = django_user_model.objects.create_user(
        "helpdesk", "helpdesk@example.com", "pw", is_staff=True
    )
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(staff)
    customer = UserFactory()
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "export_user_personal_data", "_selected_action": [customer.pk]},
    )
    assert response.get("Content-Type") != "application/zip"
    assert not Case.objects.exists()


def test_extending_asks_for_months_and_a_reason_and_tells_the_requester(admin_client, admin_user):
    case = open_case()
    response = act(admin_client, "extend_deadline", case)
    url = reverse("admin:jsg_privacy_case_extend", args=[case.pk])
    assert response["Location"] == url

    refused = admin_client.post(url, {"months": "2", "reason": ""})
    assert refused.status_code == 200
    case.refresh_from_db()
    assert case.extended_until is None

    done = admin_client.post(url, {"months": "2", "reason": "Your records span three systems."})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.extended_until is not None
    assert "three systems" in mail.outbox[-1].body
    assert case.events.get(action="extended").actor == admin_user


def test_retrying_a_failed_export_completes_it(admin_client, admin_user, monkeypatch):
    case = open_case()
    cases.fail(case, "Export failed: OSError")

    act(admin_client, "retry_failed", case)

    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert case.events.get(action="retry requested").actor == admin_user
