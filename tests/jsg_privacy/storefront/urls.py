"""The example shop's URLs with the storefront API's, as docs/storefront.md includes them."""

from django.urls import include, path

urlpatterns = [
    path("privacy/", include("jsg_privacy.storefront.urls")),
    path("", include("example_shop.urls")),
]
