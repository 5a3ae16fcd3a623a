from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OscarPrivacyConfig(AppConfig):
    """jsg_privacy for django-oscar: its ``privacy.py`` is found with every app's."""

    name = "jsg_privacy.contrib.oscar"
    label = "jsg_privacy_oscar"
    verbose_name = _("Privacy for django-oscar")
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from jsg_privacy.contrib.oscar import checks, receivers  # noqa: F401 -- registers the check

        receivers.connect()
