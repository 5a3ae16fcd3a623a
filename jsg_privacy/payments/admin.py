"""Payments in the admin: read-only records, with one action — refund — for staff allowed to refund.

Django's admin autodiscovery imports ``jsg_privacy/admin.py`` only, which imports this module. The
disclosure log and the processed webhook events are read-only, like the consent ledger.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jsg_privacy.admin import ReadOnlyAdmin
from jsg_privacy.marketing.admin import KeyedSearchMixin
from jsg_privacy.payments import charges
from jsg_privacy.payments.base import PaymentError, Status
from jsg_privacy.payments.models import Disclosure, Payment, WebhookEvent


@admin.register(Payment)
class PaymentAdmin(KeyedSearchMixin, ReadOnlyAdmin):
    list_display = ["reference", "display_amount", "status", "card", "created_at", "paid_at"]
    list_filter = ["status", "gateway", "created_at"]
    search_fields = ["reference", "intent_id", "subject_key"]
    search_help_text = _(
        "An order reference, a payment id (pi_…), an e-mail address or a subject key."
    )
    date_hierarchy = "created_at"
    actions = ["refund"]
    fields = [
        "reference",
        "status",
        "display_amount",
        "card",
        "failure_message",
        "gateway",
        "intent_id",
        "payment_method_id",
        "customer_id",
        "refund_id",
        "user",
        "subject_key",
        "created_at",
        "paid_at",
        "refunded_at",
    ]
    readonly_fields = flatten(fields)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if "@" in term:  # an e-mail address: found by its keyed hash, as nothing else is stored
            return super().get_search_results(request, queryset, term)
        return admin.ModelAdmin.get_search_results(self, request, queryset, term)

    key_fields = ("subject_key",)

    @admin.display(description=_("amount"))
    def display_amount(self, obj: Payment) -> str:
        return obj.display_amount

    @admin.display(description=_("card"))
    def card(self, obj: Payment) -> str:
        return obj.card

    def has_refund_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("jsg_privacy.refund_payment")

    @admin.action(description=_("Refund selected payments in full"), permissions=["refund"])
    def refund(self, request: HttpRequest, queryset: QuerySet[Payment]) -> None:
        refunded = 0
        for payment in queryset.filter(status=Status.SUCCEEDED):
            try:
                result = charges.refund(payment)
            except PaymentError as error:
                self.message_user(request, f"{payment.reference}: {error}", messages.ERROR)
                continue
            if result.succeeded:
                refunded += 1
            else:
                self.message_user(request, f"{payment.reference}: {result.message}", messages.ERROR)
        skipped = queryset.exclude(status=Status.SUCCEEDED).count()
        if refunded:
            text = ngettext("%d payment refunded.", "%d payments refunded.", refunded) % refunded
            self.message_user(request, text, messages.SUCCESS)
        if skipped:
            text = ngettext(
                "%d payment was not paid, so not refunded.",
                "%d payments were not paid, so not refunded.",
                skipped,
            )
            self.message_user(request, text % skipped, messages.WARNING)


@admin.register(Disclosure)
class DisclosureAdmin(KeyedSearchMixin, ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "purpose", "operation", "fields_sent", "short_key"]
    list_filter = ["recipient", "purpose", "operation"]
    search_fields = ["subject_key"]
    search_help_text = _("An e-mail address, or a subject key.")
    key_fields = ("subject_key",)
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description=_("fields sent"))
    def fields_sent(self, obj: Disclosure) -> str:
        return ", ".join(obj.field_names) or "—"

    @admin.display(description=_("subject key"))
    def short_key(self, obj: Disclosure) -> str:
        return obj.subject_key[:12] + "…"


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "gateway", "kind", "event_id"]
    list_filter = ["gateway", "kind"]
    search_fields = ["=event_id"]
    date_hierarchy = "received_at"
