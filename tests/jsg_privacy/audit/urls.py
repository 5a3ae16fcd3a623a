"""An admin site of its own, audited, so the tests do not depend on when the shop's URLs were built."""

from django.contrib import admin
from django.urls import path

from example_shop.catalogue.models import Category
from example_shop.enquiries.models import Enquiry
from example_shop.orders.models import Order
from jsg_privacy.audit.access import AuditedAdminMixin, audit_admin_site
from jsg_privacy.audit.admin import StaffAccessAdmin
from jsg_privacy.audit.models import StaffAccess

site = admin.AdminSite(name="audited")


class EnquiryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    fields = ["name", "email", "subject"]  # the phone and the message are not shown


site.register(Order)  # a plain admin: wrapped by audit_admin_site
site.register(Category)  # not a declared model: never logged
site.register(Enquiry, EnquiryAdmin)
site.register(StaffAccess, StaffAccessAdmin)
audit_admin_site(site)

urlpatterns = [path("admin/", site.urls)]
