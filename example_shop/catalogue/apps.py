from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "example_shop.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"
