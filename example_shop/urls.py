from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "JSG Metering Solutions — shop admin"
admin.site.site_title = "JSG shop admin"

urlpatterns = [
    path("", include("example_shop.catalogue.urls")),
    path("cart/", include("example_shop.cart.urls")),
    path("checkout/", include("example_shop.orders.urls")),
    path("account/", include("example_shop.accounts.urls")),
    path("", include("example_shop.enquiries.urls")),
    path("privacy/", include("jsg_privacy.urls")),
    path("admin/", admin.site.urls),
]
