"""The test project's URLs, as docs/oscar.md sets them up (Oscar's own, then jsg_privacy's)."""

from django.apps import apps
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("privacy/", include("jsg_privacy.urls")),
    path("", include(apps.get_app_config("oscar").urls[0])),
]
