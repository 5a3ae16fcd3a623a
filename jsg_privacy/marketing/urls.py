from django.urls import path

from jsg_privacy.marketing import views

app_name = "marketing"

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
