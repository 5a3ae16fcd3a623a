"""Staff inside Saleor's dashboard: the app-bridge token decides who may see a customer's cases and
erasure plan and export their data; without it nothing is shown and nothing is done."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from jsg_privacy.audit.models import StaffAccess
from jsg_privacy.integrations.saleor.models import Customer, CustomerEmail
from jsg_privacy.requests import cases
from jsg_privacy.requests.models import Case, CaseEvent, Channel, Kind, Status
from tests.jsg_privacy.saleor.fake_saleor import new_key

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]

EMAIL = "ann@example.com"
CASES = "/privacy/saleor/dashboard/cases/"
EXPORT = "/privacy/saleor/dashboard/export/"


@pytest.fixture
def ann(store_customer):
    return store_customer


def export(client, token, customer, **headers):
    return client.post(
        EXPORT,
        data=json.dumps({"customer": customer}),
        content_type="application/json",
        HTTP_AUTHORIZATION_BEARER=token,
        **headers,
    )


def test_the_manifest_puts_the_page_in_the_customer_s_more_actions_menu(client, saleor):
    manifest = client.get("/privacy/saleor/manifest/").json()

    page = "http://testserver/privacy/saleor/dashboard/"
    assert manifest["appUrl"] == page
    mounts = {e["mount"]: e for e in manifest["extensions"]}
    assert mounts["CUSTOMER_DETAILS_MORE_ACTIONS"]["target"] == "POPUP"
    assert mounts["CUSTOMER_DETAILS_MORE_ACTIONS"]["permissions"] == ["MANAGE_USERS"]
    assert mounts["CUSTOMER_DETAILS_MORE_ACTIONS"]["url"] == page
    # Saleor refuses an APP_PAGE extension whose URL is absolute: a path below appUrl, the page
    assert (mounts["NAVIGATION_CUSTOMERS"]["target"], mounts["NAVIGATION_CUSTOMERS"]["url"]) == (
        "APP_PAGE",
        "/",
    )
    assert client.get(page).status_code == 200  # framable shell, no data
    assert "X-Frame-Options" not in client.get(page)


@pytest.mark.parametrize("append_slash", [True, False])
def test_the_page_answers_where_saleor_s_dashboard_frames_it_without_a_redirect(
    client, settings, saleor, append_slash
):
    # Saleor's dashboard (3.22, 3.23) builds the iframe's URL with url-join, which drops the slash
    # before the query: "/privacy/saleor/dashboard?domain=...". APPEND_SLASH redirected it (one more
    # round trip for every pop-up); a shop without APPEND_SLASH answered 404 in the dashboard.
    settings.APPEND_SLASH = append_slash
    query = {"domain": "store.example.com", "saleorApiUrl": saleor.api_url, "id": saleor.app_id}

    for params in (query, {**query, "customerId": "VXNlcjox"}):
        response = client.get("/privacy/saleor/dashboard", params)
        assert response.status_code == 200
        assert "Export their data (ZIP)" in response.content.decode()
        assert "X-Frame-Options" not in response
    assert client.get("/privacy/saleor/choices").status_code == 200


def test_staff_export_a_customer_from_the_dashboard(client, saleor, installation, ann):
    token = saleor.staff_token("sam@store.example.com")

    response = export(client, token, ann["id"])

    assert response.status_code == 200, response.content
    reference = response["X-Case-Reference"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = set(archive.namelist())
    assert {"saleor.customer.csv", "saleor.orders.csv", "enquiries.Enquiry.csv"} <= names
    case = Case.objects.get(reference=reference)
    assert (case.kind, case.channel, case.status) == (Kind.ACCESS, Channel.SALEOR, Status.COMPLETED)
    assert case.email == EMAIL
    trail = {e.action: e.detail for e in CaseEvent.objects.filter(case=case)}
    assert "sam@store.example.com" in trail["exported by Saleor staff"]
    assert "sam@store.example.com" in case.identity_check
    (logged,) = StaffAccess.objects.filter(action=StaffAccess.Action.EXPORT)
    assert "sam@store.example.com" in logged.context

    listed = client.get(CASES, {"customer": ann["id"]}, HTTP_AUTHORIZATION_BEARER=token).json()
    assert listed["customer"]["email"] == EMAIL
    assert [c["reference"] for c in listed["cases"]] == [reference]
    plan = {step["source"]: step for step in listed["plan"]}
    assert any(step["rows"] for step in plan.values())


def test_the_case_list_shows_deadlines_soonest_first(client, saleor, installation):
    late = cases.open_case(
        kind=Kind.ERASURE, email="bob@example.com", channel=Channel.EMAIL, identity_check="id seen"
    )
    soon = cases.open_case(
        kind=Kind.ACCESS, email="cat@example.com", channel=Channel.EMAIL, identity_check="id seen"
    )
    Case.objects.filter(pk=soon.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    done = cases.open_case(
        kind=Kind.ACCESS, email="dan@example.com", channel=Channel.EMAIL, identity_check="id seen"
    )
    cases.complete(done, {})

    extended = cases.open_case(
        kind=Kind.ACCESS, email="eve@example.com", channel=Channel.EMAIL, identity_check="id seen"
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    Case.objects.filter(pk=extended.pk).update(
        due_on=yesterday, extended_until=timezone.localdate() + timedelta(days=60)
    )
    paused = cases.open_case(
        kind=Kind.ACCESS, email="fay@example.com", channel=Channel.EMAIL, identity_check="id seen"
    )
    Case.objects.filter(pk=paused.pk).update(due_on=yesterday, paused_since=timezone.now())

    rows = client.get(CASES, HTTP_AUTHORIZATION_BEARER=saleor.staff_token()).json()["cases"]

    order = [soon.reference, paused.reference, late.reference, extended.reference]
    assert [r["reference"] for r in rows] == order
    assert [r["overdue"] for r in rows] == [True, False, False, False]  # paused: not overdue
    assert rows[3]["due"] == (timezone.localdate() + timedelta(days=60)).isoformat()
    assert rows[2]["due"] == late.due_on.isoformat()


def test_the_plan_shows_what_erasure_would_do_and_changes_nothing(
    client, saleor, installation, ann
):
    token = saleor.staff_token()

    plan = client.get(CASES, {"customer": ann["id"]}, HTTP_AUTHORIZATION_BEARER=token).json()[
        "plan"
    ]

    assert {"source", "rows", "action"} <= set(plan[0])
    # The store cannot count its records beforehand: the plan says what erasure does to them,
    # not "0, nothing to do" (which the dashboard showed for Ann's account and order)
    steps = {step["source"]: step for step in plan}
    assert steps["Your account in our store"] == {
        "source": "Your account in our store",
        "rows": None,
        "action": "deleted",
    }
    assert steps["Your orders in our store"]["rows"] is None
    assert "tax law" in steps["Your orders in our store"]["action"]
    assert steps["Your marketing choices"] == {  # counted here: none
        "source": "Your marketing choices",
        "rows": 0,
        "action": "nothing to do",
    }
    assert saleor.mutations("CustomerDelete") == []
    assert saleor.users[EMAIL]["email"] == EMAIL
    assert not Case.objects.exists()


def bad_tokens(saleor):
    other = new_key()
    return {
        "none": "",
        "garbage": "not-a-jwt",
        "expired": saleor.staff_token(lifetime=-60),
        "another key": saleor.staff_token(key=other),
        "another app": saleor.staff_token(app="QXBwOjk5"),
        "another store": saleor.staff_token(iss="https://other.example.com/graphql/"),
        "a customer's token": saleor.customer_token(EMAIL),
        "HS256 with the public key": "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln",
    }


@pytest.mark.parametrize(
    "name",
    [
        "none",
        "garbage",
        "expired",
        "another key",
        "another app",
        "another store",
        "a customer's token",
        "HS256 with the public key",
    ],
)
def test_a_call_without_a_valid_token_gets_401_and_nothing_is_done(
    client, saleor, installation, ann, name
):
    token = bad_tokens(saleor)[name]

    exported = export(client, token, ann["id"])
    listed = client.get(CASES, {"customer": ann["id"]}, HTTP_AUTHORIZATION_BEARER=token)

    assert exported.status_code == listed.status_code == 401
    assert EMAIL not in exported.content.decode() + listed.content.decode()
    assert not Case.objects.exists()
    assert not StaffAccess.objects.exists()


def test_staff_without_manage_users_get_403_and_nothing_is_done(client, saleor, installation, ann):
    token = saleor.staff_token(permissions=("MANAGE_ORDERS",))

    assert export(client, token, ann["id"]).status_code == 403
    assert client.get(CASES, HTTP_AUTHORIZATION_BEARER=token).status_code == 403
    assert not Case.objects.exists()


def test_a_token_for_a_removed_installation_gets_401(client, saleor, installation, ann):
    Installation = type(installation)
    Installation.objects.update(removed_at=timezone.now(), token="")

    assert export(client, saleor.staff_token(), ann["id"]).status_code == 401


@pytest.mark.parametrize("customer", ["", None, 7, "x" * 500])
def test_a_call_naming_no_customer_is_refused_with_a_clear_error(
    client, saleor, installation, customer
):
    response = export(client, saleor.staff_token(), customer)

    assert response.status_code == 400
    assert "customer" in response.json()["error"]
    assert not Case.objects.exists()


def test_an_unknown_customer_gets_404_and_opens_no_case(client, saleor, installation):
    response = export(client, saleor.staff_token(), "VXNlcjo5OTk=")

    assert response.status_code == 404
    assert not Case.objects.exists()


def test_a_body_that_is_not_json_gets_400(client, saleor, installation):
    response = client.post(
        EXPORT,
        data=b"{nope",
        content_type="application/json",
        HTTP_AUTHORIZATION_BEARER=saleor.staff_token(),
    )

    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_store_that_does_not_answer_gets_a_clear_error_not_a_500(
    client, saleor, installation, ann, settings
):
    settings.JSG_PRIVACY_SALEOR_TIMEOUT = 0.2
    token = saleor.staff_token()
    saleor.delay = 1

    listed = client.get(CASES, {"customer": ann["id"]}, HTTP_AUTHORIZATION_BEARER=token)
    exported = export(client, token, ann["id"])

    assert listed.status_code == exported.status_code == 503
    assert "try again" in listed.json()["error"]
    assert not Case.objects.exists()


def test_a_customer_known_from_the_webhooks_gets_their_plan_while_the_store_is_slow(
    client, saleor, installation, ann, settings
):
    Customer.objects.create(installation=installation, saleor_id=ann["id"], email=EMAIL)
    settings.JSG_PRIVACY_SALEOR_TIMEOUT = 0.2
    token = saleor.staff_token()
    saleor.delay = 1

    listed = client.get(CASES, {"customer": ann["id"]}, HTTP_AUTHORIZATION_BEARER=token)

    assert listed.status_code == 200, listed.content
    assert listed.json()["customer"]["email"] == EMAIL


def test_a_customer_s_requests_under_an_earlier_address_are_listed(
    client, saleor, installation, ann
):
    earlier = cases.open_case(
        kind=Kind.ERASURE, email=EMAIL, channel=Channel.EMAIL, identity_check="id seen"
    )
    cases.open_case(kind=Kind.ACCESS, email="bob@example.com", channel=Channel.EMAIL)
    CustomerEmail.objects.remember(installation.pk, ann["id"], EMAIL)
    saleor.change_email(EMAIL, "ann.new@example.com")

    listed = client.get(
        CASES, {"customer": ann["id"]}, HTTP_AUTHORIZATION_BEARER=saleor.staff_token()
    ).json()

    assert listed["customer"]["email"] == "ann.new@example.com"
    assert [c["reference"] for c in listed["cases"]] == [earlier.reference]


def test_a_token_of_someone_not_staff_gets_403(client, saleor, installation, ann):
    token = saleor.staff_token(is_staff=False)

    assert export(client, token, ann["id"]).status_code == 403
    assert not Case.objects.exists()


def test_the_token_is_also_accepted_as_a_bearer_authorization(client, saleor, installation):
    response = client.get(CASES, HTTP_AUTHORIZATION=f"Bearer {saleor.staff_token()}")

    assert response.status_code == 200


def test_a_token_sent_for_another_store_s_api_url_gets_401(client, saleor, installation, ann):
    response = export(
        client,
        saleor.staff_token(),
        ann["id"],
        HTTP_SALEOR_API_URL="https://other.example.com/graphql/",
    )

    assert response.status_code == 401
    assert not Case.objects.exists()
