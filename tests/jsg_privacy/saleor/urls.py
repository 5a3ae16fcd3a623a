"""The example shop's URLs with the Saleor App's, as a shop includes them (docs/saleor.md)."""

from django.urls import include, path

urlpatterns = [
    path("privacy/", include("jsg_privacy.integrations.saleor.urls")),
    path("", include("example_shop.urls")),
]
