"""The Saleor App in the admin: read-only records; one action forgets a store's token."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jsg_privacy.admin import ReadOnlyAdmin
from jsg_privacy.integrations.saleor.models import Customer, Installation, Order, OrderClearance
from jsg_privacy.marketing.admin import KeyedSearchMixin


@admin.register(Installation)
class InstallationAdmin(ReadOnlyAdmin):
    list_display = ["api_url", "app_id", "installed_at", "jwks_fetched_at", "removed_at"]
    fields = ["api_url", "app_id", "installed_at", "jwks_fetched_at", "removed_at"]
    actions = ["forget_token"]

    @admin.action(
        description=_("Forget the token (the app was removed from the store)"),
        permissions=["forget"],
    )
    def forget_token(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(token="", jwks={}, jwks_fetched_at=None, removed_at=timezone.now())
        self.message_user(request, _("Tokens forgotten: %(n)d.") % {"n": count}, messages.SUCCESS)

    def has_forget_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("jsg_privacy_saleor.change_installation"))


@admin.register(Customer)
class CustomerAdmin(KeyedSearchMixin, ReadOnlyAdmin):
    list_display = ["saleor_id", "installation", "updated_at"]
    fields = ["saleor_id", "installation", "erasure_case", "updated_at"]
    search_fields = ["email_digest"]  # shows the search box; see KeyedSearchMixin
    search_help_text = _("An e-mail address.")
    key_fields = ("email_digest",)


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "installation", "created_at"]
    fields = ["number", "saleor_id", "installation", "created_at", "saleor_user_id"]
    search_fields = ["number"]
    date_hierarchy = "created_at"


@admin.register(OrderClearance)
class OrderClearanceAdmin(ReadOnlyAdmin):
    """Orders whose hold ended while their store was away: cleared after its next event."""

    list_display = ["saleor_id", "installation", "due_since"]
    fields = ["saleor_id", "installation", "due_since"]
