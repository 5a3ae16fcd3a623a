from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from example_shop.accounts.models import CustomerProfile
from jsg_privacy.crypto.admin import KeyedHashSearchMixin
from jsg_privacy.requests.admin import PersonalDataExportMixin, export_user_personal_data

User = get_user_model()


@admin.register(CustomerProfile)
class CustomerProfileAdmin(KeyedHashSearchMixin, admin.ModelAdmin):
    list_display = ["user", "company_name", "phone", "billing_postcode", "created_at"]
    list_select_related = ["user"]
    list_filter = ["created_at"]
    # The account's fields (Django's own user model keeps them in clear), or the exact company name
    # (encrypted here, found through its keyed hash).
    search_fields = [
        "user__username",
        "user__email",
        "user__first_name",
        "user__last_name",
    ]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


admin.site.unregister(User)


@admin.register(User)
class CustomerAdmin(PersonalDataExportMixin, UserAdmin):
    """Django's user admin, plus the one-click export of a customer's personal data (a ZIP): a
    button on the customer's page, and an action on the list."""

    actions = [export_user_personal_data]
