from django.urls import path

from example_shop.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("categories/", views.CategoryListView.as_view(), name="category_list"),
    path("categories/<slug:slug>/", views.CategoryDetailView.as_view(), name="category_detail"),
    path("products/<slug:slug>/", views.ProductDetailView.as_view(), name="product_detail"),
]
