from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from example_shop.enquiries.models import Enquiry, QuoteRequest
from jsg_privacy.crypto.admin import KeyedHashSearchMixin


@admin.register(Enquiry)
class EnquiryAdmin(KeyedHashSearchMixin, admin.ModelAdmin):
    list_display = ["subject", "name", "email", "created_at", "answered_at"]
    list_filter = [("answered_at", admin.EmptyFieldListFilter), "created_at"]
    # The subject in part; the name and the e-mail address exactly (KeyedHashSearchMixin).
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "answered_at", "answered_by"]
    actions = ["mark_answered"]

    @admin.action(description="Mark selected enquiries answered")
    def mark_answered(self, request: HttpRequest, queryset: QuerySet[Enquiry]) -> None:
        updated = queryset.filter(answered_at__isnull=True).update(
            answered_at=timezone.now(), answered_by=request.user
        )
        self.message_user(request, f"{updated} enquiry(ies) marked answered.", messages.SUCCESS)


@admin.register(QuoteRequest)
class QuoteRequestAdmin(KeyedHashSearchMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "company_name",
        "installation_postcode",
        "quantity",
        "status",
        "created_at",
    ]
    list_filter = ["status", "created_at"]
    # Names, company and e-mail are encrypted: an exact one finds the request (KeyedHashSearchMixin).
    search_fields = []
    date_hierarchy = "created_at"
    filter_horizontal = ["products"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "quoted_at", "decided_at"]
    actions = ["mark_sent", "mark_accepted", "mark_declined", "mark_expired"]

    def _decide(self, request: HttpRequest, queryset: QuerySet[QuoteRequest], status: str) -> None:
        undecided = [QuoteRequest.Status.OPEN, QuoteRequest.Status.SENT]
        updated = queryset.filter(status__in=undecided).update(
            status=status, decided_at=timezone.now()
        )
        label = QuoteRequest.Status(status).label.lower()
        self.message_user(request, f"{updated} quote(s) marked {label}.", messages.SUCCESS)

    @admin.action(description="Mark selected quotes sent")
    def mark_sent(self, request: HttpRequest, queryset: QuerySet[QuoteRequest]) -> None:
        updated = queryset.filter(status=QuoteRequest.Status.OPEN).update(
            status=QuoteRequest.Status.SENT, quoted_at=timezone.now()
        )
        self.message_user(request, f"{updated} quote(s) marked sent.", messages.SUCCESS)

    @admin.action(description="Mark selected quotes accepted")
    def mark_accepted(self, request: HttpRequest, queryset: QuerySet[QuoteRequest]) -> None:
        self._decide(request, queryset, QuoteRequest.Status.ACCEPTED)

    @admin.action(description="Mark selected quotes declined")
    def mark_declined(self, request: HttpRequest, queryset: QuerySet[QuoteRequest]) -> None:
        self._decide(request, queryset, QuoteRequest.Status.DECLINED)

    @admin.action(description="Mark selected quotes expired")
    def mark_expired(self, request: HttpRequest, queryset: QuerySet[QuoteRequest]) -> None:
        self._decide(request, queryset, QuoteRequest.Status.EXPIRED)
