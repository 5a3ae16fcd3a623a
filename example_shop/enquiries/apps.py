from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "example_shop.enquiries"
    label = "enquiries"
    verbose_name = "Enquiries and quotes"
