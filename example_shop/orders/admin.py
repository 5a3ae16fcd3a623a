from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from example_shop.orders.models import Order, OrderLine
from jsg_privacy.crypto.admin import KeyedHashSearchMixin


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = ["product", "product_name", "unit_price", "quantity"]
    raw_id_fields = ["product"]


@admin.register(Order)
class OrderAdmin(KeyedHashSearchMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "full_name",
        "email",
        "status",
        "ordered_on_behalf",
        "total",
        "created_at",
    ]
    list_filter = ["status", "ordered_on_behalf", "created_at"]
    # Names, addresses and e-mails are encrypted: a search matches a reference in part, or an
    # e-mail address, a full name or a company name exactly, in any case (their keyed hashes).
    search_fields = ["reference"]
    search_help_text = "A reference, or an exact e-mail address, full name or company name."
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["reference", "public_id", "created_at", "card_payments"]
    inlines = [OrderLineInline]
    actions = ["mark_paid", "mark_dispatched", "mark_completed", "mark_cancelled"]
    fieldsets = [
        (None, {"fields": ["reference", "public_id", "status", "user", "created_at"]}),
        ("Customer", {"fields": ["full_name", "email", "phone"]}),
        (
            "Billing address",
            {
                "fields": [
                    "billing_line1",
                    "billing_line2",
                    "billing_town",
                    "billing_postcode",
                    "billing_country",
                ]
            },
        ),
        (
            "Installation",
            {
                "fields": [
                    "installation_line1",
                    "installation_line2",
                    "installation_town",
                    "installation_postcode",
                    "installation_country",
                    "site_contact_name",
                    "site_contact_phone",
                    "access_notes",
                    "mpan",
                    "meter_serial",
                ]
            },
        ),
        (
            "Placed by",
            {
                "fields": [
                    "ordered_on_behalf",
                    "company_name",
                    "agent_name",
                    "agent_email",
                    "agent_phone",
                ]
            },
        ),
        (
            "Totals and dates",
            {"fields": ["subtotal", "total", "invoiced_at", "completed_at", "card_payments"]},
        ),
    ]

    @admin.display(description="Card payments")
    def card_payments(self, obj: Order) -> str:
        """A link to the order's card payments, where staff can refund them."""
        if not obj.pk:
            return "-"
        url = reverse("admin:jsg_privacy_payment_changelist")
        return format_html(
            '<a href="{}?q={}">Payments for {}</a>', url, obj.reference, obj.reference
        )

    def _set_status(
        self, request: HttpRequest, queryset: QuerySet[Order], status: str, **dates
    ) -> None:
        updated = queryset.update(status=status, **dates)
        label = Order.Status(status).label.lower()
        self.message_user(request, f"{updated} order(s) marked {label}.", messages.SUCCESS)

    @admin.action(description="Mark selected orders paid (invoiced now)")
    def mark_paid(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._set_status(
            request,
            queryset.filter(status=Order.Status.AWAITING_PAYMENT),
            Order.Status.PAID,
            invoiced_at=timezone.now(),
        )

    @admin.action(description="Mark selected orders dispatched")
    def mark_dispatched(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._set_status(
            request, queryset.filter(status=Order.Status.PAID), Order.Status.DISPATCHED
        )

    @admin.action(description="Mark selected orders completed")
    def mark_completed(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._set_status(
            request,
            queryset.filter(status__in=[Order.Status.PAID, Order.Status.DISPATCHED]),
            Order.Status.COMPLETED,
            completed_at=timezone.now(),
        )

    @admin.action(description="Cancel selected orders")
    def mark_cancelled(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._set_status(
            request,
            queryset.exclude(status__in=[Order.Status.COMPLETED, Order.Status.CANCELLED]),
            Order.Status.CANCELLED,
        )
