from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from example_shop.catalogue.models import Product
from example_shop.enquiries.models import Enquiry, QuoteRequest
from example_shop.orders.models import Order

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo_data", *args, stdout=out)
    return out.getvalue()


def test_demo_data_spans_eight_years():
    output = load()

    now = timezone.now()
    seven_years_ago = now - timedelta(days=7 * 365)
    assert Product.objects.filter(name="EM110 Single-Phase MID kWh Meter").exists()
    assert Order.objects.filter(completed_at__lt=seven_years_ago).exists()
    assert Order.objects.filter(created_at__gt=now - timedelta(days=30)).exists()
    assert Order.objects.exclude(ordered_on_behalf=Order.OrderedOnBehalf.SELF).exists()
    assert Order.objects.filter(user__isnull=True).exists()
    assert Order.objects.filter(user__isnull=False).exists()
    assert Enquiry.objects.filter(answered_at__lt=now - timedelta(days=365 * 2)).exists()
    assert Enquiry.objects.filter(answered_at__isnull=True).exists()
    assert QuoteRequest.objects.filter(status=QuoteRequest.Status.DECLINED).exists()
    assert QuoteRequest.objects.filter(status=QuoteRequest.Status.EXPIRED).exists()
    assert QuoteRequest.objects.filter(status=QuoteRequest.Status.OPEN).exists()
    assert "orders: 123" in output
    assert "DEMO ONLY" in output


def test_demo_admin_can_log_in():
    load()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("admin")


def test_demo_data_is_valid_for_the_models():
    load()
    for model in (Order, Enquiry, QuoteRequest):
        for row in model.objects.all():
            row.full_clean()


def test_second_run_skips_and_reset_reloads_the_same_data():
    load()
    first = sorted(User.objects.filter(is_staff=False).values_list("email", flat=True))

    assert "nothing loaded" in load()
    assert Order.objects.count() == 123

    load("--reset")
    assert Order.objects.count() == 123
    assert sorted(User.objects.filter(is_staff=False).values_list("email", flat=True)) == first
