from django.apps import AppConfig


class CartConfig(AppConfig):
    name = "example_shop.cart"
    label = "cart"
    verbose_name = "Cart"
