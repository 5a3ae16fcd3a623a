from django.contrib import admin

from example_shop.accounts.models import CustomerProfile


@admin.register(CustomerProfile)
class CustomerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "company_name", "phone", "billing_postcode", "created_at"]
    list_select_related = ["user"]
    list_filter = ["created_at"]
    search_fields = [
        "user__username",
        "user__email",
        "user__first_name",
        "user__last_name",
        "company_name",
        "billing_postcode",
        "installation_postcode",
    ]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]
