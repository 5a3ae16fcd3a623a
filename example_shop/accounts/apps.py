from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "example_shop.accounts"
    label = "accounts"
    verbose_name = "Customer accounts"
