from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "example_shop.orders"
    label = "orders"
    verbose_name = "Orders"
