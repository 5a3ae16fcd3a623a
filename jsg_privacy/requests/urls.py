from django.urls import path

from jsg_privacy.requests import complaint_views, replies, views

app_name = "requests"

urlpatterns = [
    path("", views.your_data, name="your-data"),
    path("export/", views.request_export, name="export"),
    path("erase/", views.request_erasure, name="erase"),
    path("restrict/", views.request_restriction, name="restrict"),
    path("new/", views.new_request, name="new"),
    path("new/sent/", views.sent, name="sent"),
    path("new/stopped/", views.stopped, name="stopped"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("complain/", complaint_views.complain, name="complain"),
    path("complain/received/", complaint_views.received, name="complaint-received"),
    path("answer/<str:token>/", replies.answer, name="answer"),
    path("download/<str:token>/", views.download, name="download"),
    path("address/", views.send_address_link, name="send-address-link"),
    path("address/<str:token>/", views.confirm_address, name="confirm-address"),
]
