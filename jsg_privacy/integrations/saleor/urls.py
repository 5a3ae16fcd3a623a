"""The app's URLs, under ``saleor/``: include them beside ``jsg_privacy.urls``::

    path("privacy/", include("jsg_privacy.urls")),
    path("privacy/", include("jsg_privacy.integrations.saleor.urls")),

Each answers with and without its trailing slash: a redirect would lose a webhook (Saleor does
not follow it) and ``APPEND_SLASH`` never gets a chance to issue one. Saleor's dashboard frames the
page without it: it joins the extension's URL and its query with url-join, which drops the slash
before ``?`` (``.../saleor/dashboard?id=...``); a shop with ``APPEND_SLASH = False`` would 404 there.
"""

from django.urls import path

from jsg_privacy.integrations.saleor import dashboard, views

app_name = "jsg_privacy_saleor"

urlpatterns = [
    path("saleor/manifest/", views.manifest, name="manifest"),
    path("saleor/register/", views.register, name="register"),
    path("saleor/webhooks/", views.webhooks, name="webhooks"),
    path("saleor/manifest", views.manifest),
    path("saleor/register", views.register),
    path("saleor/webhooks", views.webhooks),
    path("saleor/choices/", views.choices, name="choices"),
    path("saleor/choices", views.choices),
    path("saleor/dashboard/", dashboard.page, name="dashboard"),
    path("saleor/dashboard", dashboard.page),
    path("saleor/dashboard/cases/", dashboard.cases_view, name="dashboard_cases"),
    path("saleor/dashboard/export/", dashboard.export_view, name="dashboard_export"),
]
