"""Undeclared cookies in the admin: a read-only list of what the shop set and nobody declared.

Django's admin autodiscovery imports ``jsg_privacy/admin.py`` only, which imports this module.
"""

from __future__ import annotations

from typing import Any

from cookie_consent.models import LogItem
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jsg_privacy.admin import ReadOnlyAdmin
from jsg_privacy.consent.cookies import classify, declaration_example
from jsg_privacy.consent.models import UndeclaredCookie

# django-cookie-consent's own log stays empty: the consent ledger is the record of every choice.
# Its editable admin beside the ledger only misleads, so it is hidden (cookie_consent is listed
# before jsg_privacy in INSTALLED_APPS, so its admin is registered by now).
if admin.site.is_registered(LogItem):
    admin.site.unregister(LogItem)

IMPORTS = (
    "from datetime import timedelta\nfrom jsg_privacy import inventory, registry as privacy\n\n"
)


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("undeclared", _("not declared")), ("declared", _("declared since"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in ("undeclared", "declared"):
            return queryset
        names = [n for n in queryset.values_list("name", flat=True) if classify(n).reported]
        if self.value() == "undeclared":
            return queryset.filter(name__in=names)
        return queryset.exclude(name__in=names)


@admin.register(UndeclaredCookie)
class UndeclaredCookieAdmin(ReadOnlyAdmin):
    list_display = ["name", "status", "first_seen", "last_seen", "seen_count", "path", "view"]
    list_filter = [StatusFilter]
    search_fields = ["name"]
    date_hierarchy = "last_seen"
    fields = [
        "name",
        "status",
        "first_seen",
        "last_seen",
        "seen_count",
        "path",
        "view",
        "how_to_declare",
    ]
    readonly_fields = ["status", "how_to_declare"]
    change_list_template = "admin/jsg_privacy/undeclaredcookie/change_list.html"

    @admin.display(description=_("status"))
    def status(self, obj: UndeclaredCookie) -> str:
        verdict = classify(obj.name)
        if verdict.cookie is not None:
            return str(_("declared since (%(purpose)s)") % {"purpose": verdict.cookie.purpose})
        if verdict.builtin:
            return str(_("built in: %(what)s") % {"what": verdict.builtin})
        return str(_("not declared: held back until a visitor accepts every cookie group"))

    @admin.display(description=_("how to declare it"))
    def how_to_declare(self, obj: UndeclaredCookie) -> str:
        return format_html(
            "<pre>{}</pre><p>{}</p>",
            IMPORTS + declaration_example(obj.name),
            _(
                "In an app's privacy.py. Use inventory.NECESSARY only if the shop cannot work "
                "without it; otherwise the consent purpose it serves (inventory.PREFERENCES, "
                "inventory.ANALYTICS, inventory.MARKETING_CONSENT), so visitors are asked."
            ),
        )
