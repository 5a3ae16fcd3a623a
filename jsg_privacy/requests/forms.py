"""Forms of the request pages: the public request form, restriction or objection from an account,
and the two ways of confirming who is downloading an export (password, or a code e-mailed to the
request's address)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jsg_privacy.requests.models import Kind

MAX_DETAILS = 5000

#: The choice that stops all direct marketing at once (an objection, Art. 21(2)-(3)): no
#: identity check and no decision, since stopping marketing can harm nobody.
MARKETING_OBJECTION = "objection_marketing"
MARKETING_OBJECTION_LABEL = _("Stop all marketing to me, at once (objection to direct marketing)")

PUBLIC_KINDS = [
    (Kind.ACCESS, _("A copy of my data (access)")),
    (Kind.PORTABILITY, _("My data in a machine-readable file, to take elsewhere (portability)")),
    (Kind.RECTIFICATION, _("Correct data about me (rectification)")),
    (Kind.ERASURE, _("Delete my data (erasure)")),
    (Kind.RESTRICTION, _("Limit what you do with my data (restriction)")),
    (MARKETING_OBJECTION, MARKETING_OBJECTION_LABEL),
    (Kind.OBJECTION, _("Stop another use of my data (objection)")),
]


class RequestForm(forms.Form):
    """The public form: anyone — customer, guest, enquirer — names an address and a right."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_(
            "The address you used with us. We send a link to it: nothing happens until you "
            "open the link and confirm."
        ),
    )
    kind = forms.ChoiceField(
        label=_("What would you like us to do?"), choices=PUBLIC_KINDS, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=MAX_DETAILS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Anything that helps us find your data or understand your request, such as an order "
            "number. For a correction, say what is wrong and what it should be."
        ),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == Kind.RECTIFICATION and not data.get("details", "").strip():
            self.add_error("details", _("Tell us what is wrong and what it should be."))
        return data


class RestrictOrObjectForm(forms.Form):
    """From the "Your data" page: restrict or object, with the reason."""

    kind = forms.ChoiceField(
        label=_("What would you like?"),
        choices=[
            (Kind.RESTRICTION, _("Keep my data but limit what you do with it (restriction)")),
            (MARKETING_OBJECTION, MARKETING_OBJECTION_LABEL),
            (Kind.OBJECTION, _("Stop another use of my data (objection)")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Which use, and why"),
        required=False,
        max_length=MAX_DETAILS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: “my address is wrong: please don't use it until it is "
            "corrected”. Not needed to stop marketing."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") != MARKETING_OBJECTION and not data.get("reason", "").strip():
            self.add_error("reason", _("Tell us which use of your data this is about."))
        return data


class PasswordConfirmForm(forms.Form):
    """A signed-in customer confirms their password before a sensitive step."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class CodeForm(forms.Form):
    """A requester without an account types the one-time code e-mailed to them at download time."""

    code = forms.CharField(
        label=_("The code we e-mailed you"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": _("Type the code from the e-mail.")},
    )

    def clean_code(self) -> str:
        # Full-width or other Unicode digits (a phone's keyboard) become ASCII ones.
        code = unicodedata.normalize("NFKC", "".join(self.cleaned_data["code"].split()))
        if not code.isdigit() or not code.isascii():
            raise forms.ValidationError(_("The code is made of digits only."))
        return code


class AnswerForm(forms.Form):
    """The requester's answer to a question we asked about their request (Art. 12A)."""

    answer = forms.CharField(
        label=_("Your answer"), max_length=MAX_DETAILS, widget=forms.Textarea(attrs={"rows": 5})
    )


class ComplaintForm(forms.Form):
    """The public complaint form (DPA 2018 s.164A): what it is about, and where to answer."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _(
                "Give an e-mail address: we send the acknowledgement, our updates and the "
                "outcome to it."
            )
        },
    )
    details = forms.CharField(
        label=_("Your complaint"),
        max_length=MAX_DETAILS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, and what you would like us to do."),
        error_messages={"required": _("Tell us what your complaint is about.")},
    )
