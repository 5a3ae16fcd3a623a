"""Included by ``jsg_privacy.urls`` under ``payments/``: names are ``jsg_privacy:payments:<name>``."""

from django.urls import path

from jsg_privacy.payments import views

app_name = "payments"

urlpatterns = [
    path("pay/<str:reference>/", views.pay, name="pay"),
    path("pay/<str:reference>/<slug:gateway>/charge/", views.charge, name="charge"),
    path("pay/<str:reference>/<slug:gateway>/prepare/", views.prepare, name="prepare"),
    path("pay/<str:reference>/<slug:gateway>/confirm/", views.confirm, name="confirm"),
    path("webhook/<slug:gateway>/", views.webhook, name="webhook"),
]
