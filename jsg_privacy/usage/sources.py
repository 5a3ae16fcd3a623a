"""The usage log as a source in the registry: the notice, exports, erasure and retention know it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy.registry import Delete, ModelSource, Origin, Period, Retention


class UsageEventSource(ModelSource):
    label = _("Your visits to our website")
    notice_labels = {"status_code": _("whether the page loaded")}
    subject = "user"
    data_subjects = "website visitors"
    origins = (Origin.AUTOMATIC,)
    fields = {inventory.USAGE: ["created_at", "path", "search_terms", "status_code", "ip_address"]}
    not_personal = ["visitor_key", "kind"]
    retention = Retention(
        anchor="created_at",
        period=Period(days=90),
        anchor_label=_("after your visit"),
        reason=_("Long enough to see trends and investigate abuse; IP addresses are truncated."),
    )
    erasure = Delete()

    @property
    def purposes(self) -> tuple[str, ...]:  # type: ignore[override]  # computed when read
        """Security events, on legitimate interests; page views and searches only with analytics
        consent, which the cookie banner asks for only when an analytics cookie is declared (without
        one, nothing is counted and the notice does not say it is)."""
        asked = self.registry is not None and bool(self.registry.cookies_for(inventory.ANALYTICS))
        return (inventory.ANALYTICS, inventory.SECURITY) if asked else (inventory.SECURITY,)
