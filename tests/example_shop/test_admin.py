import pytest
from django.urls import reverse
from django.utils import timezone

from example_shop.enquiries.models import Enquiry, QuoteRequest
from example_shop.orders.models import Order

pytestmark = pytest.mark.django_db

MODELS = [
    ("catalogue", "category"),
    ("catalogue", "product"),
    ("orders", "order"),
    ("accounts", "customerprofile"),
    ("enquiries", "enquiry"),
    ("enquiries", "quoterequest"),
]


@pytest.fixture
def shop_rows(order_factory, enquiry_factory, quote_request_factory, user_factory, product):
    order_factory(user=user_factory(), lines=2)
    enquiry_factory()
    quote_request_factory(products=[product])


@pytest.mark.parametrize(("app_label", "model"), MODELS)
def test_changelist_add_and_change_pages_load(admin_client, shop_rows, app_label, model):
    changelist = reverse(f"admin:{app_label}_{model}_changelist")
    response = admin_client.get(changelist)
    assert response.status_code == 200
    assert admin_client.get(f"{changelist}?q=example").status_code == 200
    assert admin_client.get(reverse(f"admin:{app_label}_{model}_add")).status_code == 200

    obj = response.context["cl"].result_list[0]
    change = reverse(f"admin:{app_label}_{model}_change", args=[obj.pk])
    assert admin_client.get(change).status_code == 200


def test_order_reference_is_read_only(admin_client, order_factory):
    order = order_factory()

    response = admin_client.get(reverse("admin:orders_order_change", args=[order.pk]))

    assert order.reference in response.text
    assert 'name="reference"' not in response.text


def test_mark_enquiries_answered(admin_client, admin_user, enquiry_factory):
    enquiry = enquiry_factory()

    admin_client.post(
        reverse("admin:enquiries_enquiry_changelist"),
        {"action": "mark_answered", "_selected_action": [enquiry.pk]},
    )

    enquiry.refresh_from_db()
    assert enquiry.answered_at is not None
    assert enquiry.answered_by == admin_user


def test_quote_status_actions(admin_client, quote_request_factory):
    quote = quote_request_factory()
    changelist = reverse("admin:enquiries_quoterequest_changelist")

    admin_client.post(changelist, {"action": "mark_sent", "_selected_action": [quote.pk]})
    quote.refresh_from_db()
    assert quote.status == QuoteRequest.Status.SENT
    assert quote.quoted_at is not None

    admin_client.post(changelist, {"action": "mark_declined", "_selected_action": [quote.pk]})
    quote.refresh_from_db()
    assert quote.status == QuoteRequest.Status.DECLINED
    assert quote.decided_at is not None


def test_order_status_actions(admin_client, order_factory):
    order = order_factory()
    changelist = reverse("admin:orders_order_changelist")

    admin_client.post(changelist, {"action": "mark_paid", "_selected_action": [order.pk]})
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.invoiced_at is not None

    admin_client.post(changelist, {"action": "mark_completed", "_selected_action": [order.pk]})
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert order.completed_at <= timezone.now()


def test_unanswered_filter(admin_client, enquiry_factory):
    enquiry_factory(subject="Still waiting")
    enquiry_factory(subject="Dealt with", answered_at=timezone.now())
    url = reverse("admin:enquiries_enquiry_changelist")

    response = admin_client.get(f"{url}?answered_at__isempty=1")

    assert "Still waiting" in response.text
    assert "Dealt with" not in response.text
    assert Enquiry.objects.count() == 2
