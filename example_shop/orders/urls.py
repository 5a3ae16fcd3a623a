from django.urls import path

from example_shop.orders import views

app_name = "orders"

urlpatterns = [
    path("", views.checkout, name="checkout"),
    path("confirmation/<uuid:public_id>/", views.confirmation, name="confirmation"),
]
