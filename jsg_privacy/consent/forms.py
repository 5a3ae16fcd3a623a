from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jsg_privacy.consent import groups
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
