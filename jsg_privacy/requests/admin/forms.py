"""The admin's forms: a request logged by staff, and the steps that need an answer."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jsg_privacy.flows.object import objectable_purposes
from jsg_privacy.inventory import MARKETING_CONSENT
from jsg_privacy.requests.models import Case, Channel, Kind

STAFF_CHANNELS = (Channel.PHONE, Channel.LETTER, Channel.EMAIL)


class LogRequestForm(forms.ModelForm):
    """A request received by phone, letter or e-mail, with how the requester's identity was checked."""

    channel = forms.ChoiceField(
        label=gettext_lazy("received by"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
    )
    identity_check = forms.CharField(
        label=gettext_lazy("how identity was checked"),
        max_length=200,
        help_text=gettext_lazy(
            "For example: security questions on a call-back to the number on the account."
        ),
    )

    address_check = forms.CharField(
        label=gettext_lazy("how they proved the address"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Only if the requester showed they receive mail at this address — for example, they "
            "wrote from it and answered our reply. Leave empty otherwise: records found only by "
            "the address are then left out until they open a confirmation link."
        ),
    )

    class Meta:
        model = Case
        fields = ["kind", "channel", "email", "user", "details", "identity_check", "address_check"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = cast(forms.ChoiceField, self.fields["kind"])  # complaints are logged on their own
        kind.choices = [(k, label) for k, label in Kind.choices if k != Kind.COMPLAINT]


class AddressProofForm(forms.Form):
    how = forms.CharField(
        label=gettext_lazy("how the requester proved the address"),
        max_length=200,
        help_text=gettext_lazy(
            "For example: they wrote from this address and answered our reply to it."
        ),
    )


class ExtendForm(forms.Form):
    months = forms.TypedChoiceField(
        label=gettext_lazy("extend by"),
        coerce=int,
        choices=[(1, gettext_lazy("one month")), (2, gettext_lazy("two months"))],
    )
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The requester is e-mailed this reason."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=gettext_lazy("decision"),
        coerce=lambda value: value == "yes",
        choices=[
            ("yes", gettext_lazy("Upheld: stop this processing")),
            ("no", gettext_lazy("Not upheld: compelling legitimate grounds override it")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The requester is e-mailed this reason."),
    )


class ObjectionForm(forms.Form):
    purpose = forms.ChoiceField(label=gettext_lazy("purpose objected to"))
    grounds = forms.CharField(
        label=gettext_lazy("the requester's grounds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    restrict_meanwhile = forms.BooleanField(
        label=gettext_lazy("Restrict processing until the decision (Art. 18(1)(d))"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        marketing = [(MARKETING_CONSENT, _("Direct marketing (stopped at once)"))]
        purpose = cast(forms.ChoiceField, self.fields["purpose"])
        purpose.choices = marketing + objectable_purposes()


class ClarifyForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("question, with the reason it is needed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Ask only what you need to find or understand the data asked for, not as a matter of "
            "routine. The requester is e-mailed this text with a link to answer; the clock is "
            "paused until they do."
        ),
    )


class AnswerReceivedForm(forms.Form):
    how = forms.CharField(
        label=gettext_lazy("how the answer came"),
        max_length=200,
        help_text=gettext_lazy("For example: by telephone on 3 March; by letter dated 2 March."),
    )
    answer = forms.CharField(
        label=gettext_lazy("the answer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
