"""The staff access log covers the shop's real admin beyond record pages: list pages, searches,
actions on selected rows, and the pages of a request's steps. Keyed hashes only, never a value."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from example_shop.factories import (
    EnquiryFactory,
    OrderFactory,
    QuoteRequestFactory,
    UserFactory,
)
from example_shop.orders.models import Order, OrderLine
from jsg_privacy.audit.models import StaffAccess
from jsg_privacy.crypto import subjects
from jsg_privacy.requests import cases
from jsg_privacy.retention import engine

pytestmark = pytest.mark.django_db

ORDERS = reverse("admin:orders_order_changelist")


def everything_logged():
    """Every text the log holds, to prove a value or a search term never reaches it."""
    return " ".join(
        " ".join(map(str, row))
        for row in StaffAccess.objects.values_list(
            "subject_key", "model", "object_id", "fields", "context"
        )
    ).lower()


def test_a_list_page_logs_each_customer_shown_once_with_their_rows(admin_client, admin_user):
    alice, bob = UserFactory(), UserFactory()
    first, second = OrderFactory(user=alice), OrderFactory(user=alice)
    OrderFactory(user=bob)
    guest = OrderFactory(email="Guest.Buyer@Example.org")

    assert admin_client.get(ORDERS).status_code == 200

    entries = {e.subject_key: e for e in StaffAccess.objects.all()}
    assert set(entries) == {
        subjects.for_user(alice),
        subjects.for_user(bob),
        subjects.for_email("guest.buyer@example.org"),
    }
    mine = entries[subjects.for_user(alice)]
    assert set(mine.object_id.split(", ")) == {str(first.pk), str(second.pk)}
    assert entries[subjects.for_email("guest.buyer@example.org")].object_id == str(guest.pk)
    for entry in entries.values():
        assert entry.staff == admin_user
        assert entry.action == StaffAccess.Action.LIST
        assert entry.model == "orders.Order"
        assert entry.fields == "full_name, email, total, created_at"  # its personal columns
        assert entry.context == "list, page 1"
    assert len({e.at for e in entries.values()}) == 1  # one page view
    assert "guest.buyer" not in everything_logged()


def test_a_search_logs_the_kind_of_term_never_the_term(admin_client):
    OrderFactory(email="sam.jones@example.org")
    OrderFactory(email="kim@example.org")

    admin_client.get(ORDERS, {"q": "Sam.Jones@example.org", "status__exact": "awaiting_payment"})

    (entry,) = StaffAccess.objects.all()
    assert entry.action == StaffAccess.Action.SEARCH
    assert entry.subject_key == subjects.for_email("sam.jones@example.org")
    assert entry.context == "search by e-mail address, page 1, filtered by status__exact"
    assert "sam" not in everything_logged()
    assert "awaiting" not in everything_logged()  # a filter's name, never its value


@pytest.mark.urls("tests.jsg_privacy.audit.urls")
def test_a_search_is_logged_even_when_the_list_shows_no_personal_column(admin_client, admin_user):
    """Finding someone's quote requests by their address says that they asked for one."""
    customer = UserFactory()
    quote = QuoteRequestFactory(user=customer, email=customer.email)
    QuoteRequestFactory()
    changelist = reverse("audited:enquiries_quoterequest_changelist")

    admin_client.get(changelist)  # only each request's status: nobody's data shown
    assert not StaffAccess.objects.exists()

    admin_client.get(changelist, {"q": customer.email.upper()})
    (entry,) = StaffAccess.objects.all()
    assert (entry.action, entry.model) == ("search", "enquiries.QuoteRequest")
    assert (entry.object_id, entry.fields) == (str(quote.pk), "")
    assert entry.subject_key == subjects.for_user(customer)
    assert entry.context == "search by e-mail address, page 1"


def test_a_search_that_finds_nobody_logs_nothing(admin_client):
    OrderFactory()
    admin_client.get(ORDERS, {"q": "nobody@example.org"})
    assert not StaffAccess.objects.exists()


@pytest.mark.urls("tests.jsg_privacy.audit.urls")
def test_an_autocomplete_search_logs_whose_rows_it_named(admin_client):
    customer = UserFactory()
    order = OrderFactory(user=customer)
    OrderFactory()
    url = reverse("audited:autocomplete")
    query = {"app_label": "orders", "model_name": "orderline", "field_name": "order"}

    found = admin_client.get(url, {**query, "term": customer.email}).json()["results"]

    assert [row["id"] for row in found] == [str(order.pk)]
    (entry,) = StaffAccess.objects.all()
    assert (entry.action, entry.model, entry.object_id) == ("search", "orders.Order", str(order.pk))
    assert entry.subject_key == subjects.for_user(customer)
    assert entry.context == "autocomplete, search by e-mail address"
    assert customer.email.lower() not in everything_logged()


def test_the_customer_list_logs_its_columns_and_reading_the_log_is_not_logged(admin_client):
    customer = UserFactory()
    admin_client.get(reverse("admin:auth_user_changelist"))

    mine = StaffAccess.objects.get(subject_key=subjects.for_user(customer))
    assert mine.model == "auth.User"
    assert mine.fields == "username, email, first_name, last_name"

    before = StaffAccess.objects.count()
    admin_client.get(reverse("admin:jsg_privacy_staffaccess_changelist"))
    assert StaffAccess.objects.count() == before


def test_the_one_click_export_is_logged_once_as_an_export(admin_client, admin_user):
    customer = UserFactory()

    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "export_user_personal_data", "_selected_action": [customer.pk]},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    (entry,) = StaffAccess.objects.all()
    assert entry.action == StaffAccess.Action.EXPORT
    assert entry.subject_key == subjects.for_user(customer)
    assert entry.staff == admin_user


def test_an_action_that_shows_the_selected_rows_logs_them(admin_client):
    customer, guest = UserFactory(), OrderFactory(email="guest@example.org")
    order = OrderFactory(user=customer)

    response = admin_client.post(
        ORDERS, {"action": "delete_selected", "_selected_action": [order.pk, guest.pk]}
    )

    assert response.status_code == 200  # the confirmation page, listing the orders
    entries = StaffAccess.objects.order_by("object_id")
    assert {(e.subject_key, e.object_id) for e in entries} == {
        (subjects.for_user(customer), str(order.pk)),
        (subjects.for_email("guest@example.org"), str(guest.pk)),
    }
    assert {e.action for e in entries} == {StaffAccess.Action.ACTION}
    assert {e.context for e in entries} == {"action: Delete selected orders"}


@pytest.mark.urls("tests.jsg_privacy.audit.urls")
def test_a_shops_own_download_action_is_logged_as_an_export(admin_client):
    first, second = EnquiryFactory(), EnquiryFactory()

    response = admin_client.post(
        reverse("audited:enquiries_enquiry_changelist"),
        {"action": "download_csv", "_selected_action": [first.pk, second.pk]},
    )

    assert response["Content-Disposition"].startswith("attachment")
    entries = StaffAccess.objects.all()
    assert {e.subject_key for e in entries} == {
        subjects.for_email(first.email),
        subjects.for_email(second.email),
    }
    assert {(e.action, e.context) for e in entries} == {
        ("export", "action: Download the selected enquiries (CSV)")
    }


def test_selecting_customer_accounts_for_an_action_logs_each_account(admin_client):
    first, second = UserFactory(), UserFactory()

    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk]},
    )

    assert response.status_code == 200  # "Are you sure?", listing both usernames
    assert {(e.subject_key, e.object_id) for e in StaffAccess.objects.all()} == {
        (subjects.for_user(first), str(first.pk)),
        (subjects.for_user(second), str(second.pk)),
    }


def test_an_action_that_only_changes_a_status_logs_nothing(admin_client):
    order = OrderFactory()
    response = admin_client.post(ORDERS, {"action": "mark_paid", "_selected_action": [order.pk]})
    assert response.status_code == 302  # back to the list
    assert not StaffAccess.objects.exists()


def test_the_erasure_plan_and_the_correction_form_are_logged(admin_client):
    customer = UserFactory()
    OrderFactory(user=customer)
    erasure = cases.open_case(
        kind="erasure", email=customer.email, user=customer, channel="phone", identity_check="call"
    )

    assert (
        admin_client.get(reverse("admin:jsg_privacy_case_erase", args=[erasure.pk])).status_code
        == 200
    )
    plan = StaffAccess.objects.get()
    assert (plan.action, plan.model, plan.object_id) == (
        "view",
        "jsg_privacy.Case",
        str(erasure.pk),
    )
    assert (plan.fields, plan.context) == ("email", "erasure plan")
    assert plan.subject_key == subjects.for_user(customer)

    correction = cases.open_case(
        kind="rectification",
        email=customer.email,
        user=customer,
        channel="phone",
        identity_check="call",
    )
    profile = customer.customer_profile
    url = reverse("admin:jsg_privacy_case_correct", args=[correction.pk])
    assert (
        admin_client.get(f"{url}?source=accounts.CustomerProfile&pk={profile.pk}").status_code
        == 200
    )
    form = StaffAccess.objects.get(context="correction form")
    assert (form.model, form.object_id) == ("accounts.CustomerProfile", str(profile.pk))
    assert "phone" in form.fields.split(", ")


def render(view, request):
    response = view(request)
    response.render()
    return response


@pytest.mark.parametrize(
    ("model", "extra"),
    [
        (Order, 1),  # an order holds its customer's link and address: one INSERT
        (OrderLine, 2),  # a line reaches its customer through its order: one SELECT more
    ],
)
def test_a_list_page_costs_a_bounded_number_of_extra_queries(
    model, extra, admin_user, django_assert_max_num_queries
):
    """Each customer on the page is an entry of their own, all written in one INSERT: 40 customers
    cost what one costs."""
    from tests.jsg_privacy.audit.urls import site

    for _ in range(40):
        OrderFactory(user=UserFactory(), lines=1)
    audited = (admin.site if model is Order else site)._registry[model].changelist_view
    plain = audited.__wrapped__  # the admin's own view, before audit_admin_site wrapped it
    request = RequestFactory().get("/")
    request.user = admin_user

    with CaptureQueriesContext(connection) as without_log:
        render(plain, request)
    assert not StaffAccess.objects.exists()
    with django_assert_max_num_queries(len(without_log) + extra):
        render(audited, request)
    assert StaffAccess.objects.count() == 40
    assert StaffAccess.objects.values("at").distinct().count() == 1


def test_log_entries_for_the_customers_on_a_page_are_one_insert(admin_user):
    for _ in range(30):
        OrderFactory(user=UserFactory())
    request = RequestFactory().get(ORDERS)
    request.user = admin_user

    with CaptureQueriesContext(connection) as queries:
        render(admin.site._registry[Order].changelist_view, request)

    writes = [q["sql"] for q in queries if "jsg_privacy_staffaccess" in q["sql"]]
    assert len(writes) == 1
    assert writes[0].startswith("INSERT")
    assert StaffAccess.objects.count() == 30
    assert get_user_model().objects.count() == 31


def test_list_entries_are_kept_two_years_then_deleted_by_retention(admin_client):
    OrderFactory(user=UserFactory())
    admin_client.get(ORDERS)
    StaffAccess.objects.update(at=timezone.now() - timedelta(days=2 * 366))
    admin_client.get(ORDERS, {"p": 1})

    run = engine.enforce()

    assert run.counts["jsg_privacy.StaffAccess"]["deleted"] == 1
    (kept,) = StaffAccess.objects.all()
    assert kept.action == "list"
    assert kept.at > timezone.now() - timedelta(hours=1)


def test_a_customer_with_many_rows_on_a_page_is_one_entry_naming_as_many_as_fit(admin_client):
    customer = UserFactory()
    orders = [OrderFactory(user=customer, lines=0) for _ in range(80)]

    assert admin_client.get(ORDERS, {"all": ""}).status_code == 200

    (entry,) = StaffAccess.objects.all()
    assert len(entry.object_id) <= 255  # the column's size, on every database
    named, more = entry.object_id.rsplit(" (+", 1)
    assert len(named.split(", ")) + int(more.removesuffix(" more)")) == len(orders)
