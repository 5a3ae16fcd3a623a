"""The storefront API under ``storefront/``: ``path("privacy/", include("jsg_privacy.storefront.urls"))``."""

from django.urls import path

from jsg_privacy.storefront import views

app_name = "jsg_privacy_storefront"

urlpatterns = [
    path("storefront/visitor/", views.visitor, name="visitor"),
    path("storefront/choices/", views.choices, name="choices"),
    path("storefront/cookies/", views.cookies, name="cookies"),
    path("storefront/marketing/", views.marketing_choices, name="marketing"),
]
