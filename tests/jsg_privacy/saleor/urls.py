"""The example shop's URLs with the Saleor App's and the storefront API's, as a shop includes them
(docs/saleor.md, docs/storefront.md)."""

from django.urls import include, path

urlpatterns = [
    path("privacy/", include("jsg_privacy.integrations.saleor.urls")),
    path("privacy/", include("jsg_privacy.storefront.urls")),
    path("", include("example_shop.urls")),
]
