from django.apps import AppConfig


class BrokenShopConfig(AppConfig):
    name = "tests.kit.broken_shop"
    label = "broken_shop"
    default_auto_field = "django.db.models.BigAutoField"
