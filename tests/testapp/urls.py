"""The example shop's URLs plus views that set cookies (tests.testapp.views)."""

from django.urls import include, path

from tests.testapp import views

urlpatterns = [
    # First: the pages after it must still be scanned (each URL in a savepoint of its own).
    path("cookies/broken-query/", views.broken_query, name="broken-query"),
    path("cookies/recently-viewed/", views.recently_viewed, name="recently-viewed"),
    path("cookies/products/<int:pk>/", views.recently_viewed, name="product"),
    path("cookies/analytics/", views.analytics, name="analytics"),
    path("cookies/basket/", views.basket, name="basket"),
    path("cookies/forget/", views.forget, name="forget"),
    path("cookies/raw/", views.raw_header, name="raw"),
    path("cookies/broken/", views.broken, name="broken"),
    path("", include("example_shop.urls")),
]
