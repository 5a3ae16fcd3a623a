from django.urls import path

from jsg_privacy.consent import views

urlpatterns = [
    path("", views.preferences, name="cookies"),
    path("accept/", views.AcceptView.as_view(), name="cookies-accept"),
    path("decline/", views.DeclineView.as_view(), name="cookies-decline"),
    path("save/", views.SaveView.as_view(), name="cookies-save"),
    path("object/", views.object_from_notice, name="cookies-object"),
    path("status/", views.StatusView.as_view(), name="cookies-status"),
    path("state.css", views.state_css, name="cookies-state-css"),
]
