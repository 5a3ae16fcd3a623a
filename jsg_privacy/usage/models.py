from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UsageEvent(models.Model):
    """A page view, search or security event. IP addresses are stored truncated."""

    class Kind(models.TextChoices):
        PAGE_VIEW = "page_view", _("page view")
        SEARCH = "search", _("search")
        SECURITY = "security", _("security event")

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    path = models.CharField(_("page"), max_length=500)
    search_terms = models.CharField(_("search terms"), max_length=200, blank=True)
    status_code = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    #: Truncated at write time (IPv4 /24, IPv6 /48) unless configured otherwise.
    ip_address = models.GenericIPAddressField(_("IP address (truncated)"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Keyed hash of the anonymous visitor's consent id, so a visit's pages can be grouped.
    visitor_key = models.CharField(_("visitor key"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("usage event")
        verbose_name_plural = _("usage events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.path}"
