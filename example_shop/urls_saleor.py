"""The example shop's URLs with the Saleor App's and the storefront API's (``settings_saleor``)."""

from django.urls import include, path

urlpatterns = [
    path("privacy/", include("jsg_privacy.integrations.saleor.urls")),
    path("privacy/", include("jsg_privacy.storefront.urls")),
    path("", include("example_shop.urls")),
]
