from django.contrib.auth.views import LogoutView
from django.urls import path

from example_shop.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.ShopLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("", views.profile, name="profile"),
    path("orders/", views.order_history, name="order_history"),
    path("orders/<str:reference>/", views.order_detail, name="order_detail"),
]
