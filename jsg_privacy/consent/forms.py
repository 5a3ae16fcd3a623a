from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _

from jsg_privacy.consent import choices, groups, state
from jsg_privacy.consent.models import Channel

CHANNELS = (Channel.BANNER, Channel.CHECKOUT, Channel.PREFERENCES)


class ChoiceForm(forms.Form):
    """Which cookie groups a POST is about. Strict: anything unexpected is an error, never consent.

    django-cookie-consent's form treats ``all_groups=no`` as accepting everything; here ``all`` must
    be exactly ``1`` and every group name must be a current group.
    """

    groups = forms.MultipleChoiceField(required=False)
    all = forms.ChoiceField(required=False, choices=[("", ""), ("1", _("all groups"))])
    channel = forms.ChoiceField(required=False, choices=[(c.value, c.label) for c in CHANNELS])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["groups"])
        field.choices = [(g.key, g.label) for g in groups.current()]
        field.error_messages["invalid_choice"] = _(
            "%(value)s is not a cookie group. Known groups: "
            + ", ".join(g.key for g in groups.current())
            + "."
        )

    def selected(self) -> list[str]:
        if self.cleaned_data.get("all") == "1":
            return [g.key for g in groups.current()]
        return list(self.cleaned_data.get("groups") or [])

    def channel_used(self) -> str:
        return self.cleaned_data.get("channel") or Channel.BANNER


#: Cookie switches inside a shop's own form (``{% consent_choices inline=True %}``): the groups
#: switched on, and the groups the form showed (a form that did not show them changes nothing).
INLINE_FIELD = "cookie_groups"
INLINE_SHOWN = "cookie_groups_shown"


def inline_changes(request: HttpRequest) -> dict[str, bool]:
    """The cookie choices posted with a shop's own form that differ from the visitor's current
    ones: ``{group key: accepted}``. A switch left as it was shown changes nothing (a group never
    decided and left off is not a refusal); keys that are not current groups are ignored."""
    if request.method != "POST":
        return {}
    shown = set(request.POST.getlist(INLINE_SHOWN))
    switched_on = set(request.POST.getlist(INLINE_FIELD))
    current = state.read(request)
    changes: dict[str, bool] = {}
    for group in groups.current():
        if group.key not in shown:
            continue
        wanted, now = group.key in switched_on, current.accepted(group.key)
        if wanted != bool(now):
            changes[group.key] = wanted
    return changes


def record_inline(
    request: HttpRequest, response: HttpResponseBase, *, channel: str
) -> dict[str, bool]:
    """Record :func:`inline_changes` in the ledger and the consent cookie of ``response``; call it
    once the shop's form has done its work (the order is placed). Returns the changes."""
    changes = inline_changes(request)
    if changes:
        choices.apply(request, response, changes, channel=channel)
    return changes
