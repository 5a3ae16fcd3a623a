"""An admin site of its own, audited, so the tests do not depend on when the shop's URLs were built."""

import csv

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from example_shop.catalogue.models import Category
from example_shop.enquiries.models import Enquiry, QuoteRequest
from example_shop.orders.models import Order, OrderLine
from jsg_privacy.audit.access import AuditedAdminMixin, audit_admin_site
from jsg_privacy.audit.admin import StaffAccessAdmin
from jsg_privacy.audit.models import StaffAccess
from jsg_privacy.crypto.admin import KeyedHashSearchMixin

site = admin.AdminSite(name="audited")


class EnquiryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    # The phone and the message are not shown; the name and e-mail share a line (a tuple).
    fields = [("name", "email"), "subject"]
    actions = ["download_csv"]

    @admin.action(description="Download the selected enquiries (CSV)")
    def download_csv(self, request, queryset):
        """A shop's own export: a file of the selected rows."""
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="enquiries.csv"'
        writer = csv.writer(response)
        for enquiry in queryset:
            writer.writerow([enquiry.name, enquiry.email])
        return response


class OrderAdmin(KeyedHashSearchMixin, admin.ModelAdmin):
    """A plain admin (searchable, for the lines' autocomplete): wrapped by audit_admin_site."""

    search_fields = ["reference"]


class OrderLineAdmin(admin.ModelAdmin):
    """Lines reach their customer through their order (``order__user``)."""

    list_display = ["order", "product_name", "quantity"]
    autocomplete_fields = ["order"]


class QuoteRequestAdmin(KeyedHashSearchMixin, admin.ModelAdmin):
    """A list with no personal column, searched by exact e-mail address."""

    list_display = ["status"]
    search_fields = ["status"]


site.register(Order, OrderAdmin)
site.register(Category)  # not a declared model: never logged
site.register(Enquiry, EnquiryAdmin)
site.register(OrderLine, OrderLineAdmin)
site.register(QuoteRequest, QuoteRequestAdmin)
site.register(StaffAccess, StaffAccessAdmin)
audit_admin_site(site)

urlpatterns = [path("admin/", site.urls)]
