"""Requests whose acknowledgement could not be e-mailed: a filter to find them, an action to send it
again (:mod:`jsg_privacy.requests.acknowledgements`)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jsg_privacy.requests import acknowledgements
from jsg_privacy.requests.models import Case, Kind


def unacknowledged(queryset: QuerySet) -> QuerySet:
    """Unfinished requests whose clock has started and whose acknowledgement was never sent."""
    return (
        queryset.filter(pk__in=Case.objects.still_open().values("pk"))
        .filter(clock_started_at__isnull=False)
        .exclude(kind=Kind.COMPLAINT)
        .exclude(events__action=acknowledgements.RECEIVED)
    )


class AcknowledgementFilter(admin.SimpleListFilter):
    title = gettext_lazy("acknowledgement")
    parameter_name = "acknowledged"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("no", _("Not acknowledged yet"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return unacknowledged(queryset) if self.value() == "no" else queryset


@admin.action(description=gettext_lazy("Send the acknowledgement again"), permissions=["change"])
def resend_acknowledgement(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    sent = failed = 0
    for case in unacknowledged(queryset):
        if acknowledgements.acknowledge(case):
            sent += 1
        else:
            failed += 1
    skipped = queryset.count() - sent - failed
    level = messages.WARNING if failed else messages.INFO
    messages.add_message(
        request,
        level,
        _(
            "Acknowledgements sent: %(sent)d; could not be sent: %(failed)d; not needed: %(skipped)d."
        )
        % {"sent": sent, "failed": failed, "skipped": skipped},
    )
