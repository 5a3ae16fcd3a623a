from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from example_shop.accounts.models import CustomerProfile
from example_shop.forms import PhoneNumberField, UKPostcodeField
from jsg_privacy.consent.models import Channel
from jsg_privacy.marketing.forms import MarketingConsentMixin


class SignUpForm(MarketingConsentMixin, BaseUserCreationForm):
    """Create an account whose username is the e-mail address, with unticked marketing boxes."""

    marketing_channel = Channel.SIGNUP

    phone = PhoneNumberField(
        label=_("Phone number (optional)"),
        required=False,
        help_text=_(
            "Kept in your account for your orders. Needed only if you tick text messages or phone "
            "calls about offers below."
        ),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]
        labels = {"email": "E-mail address"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        self.fields["first_name"].widget.attrs.update(autofocus=True, autocomplete="given-name")
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(username__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this e-mail address already exists. Please log in.",
                code="duplicate_email",
            )
        # Set now so that the password validators can compare the password with it.
        self.instance.username = email
        return email


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="E-mail address",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class NameForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class CustomerProfileForm(forms.ModelForm):
    class Meta:
        model = CustomerProfile
        fields = [
            "phone",
            "company_name",
            "billing_line1",
            "billing_line2",
            "billing_town",
            "billing_postcode",
            "installation_line1",
            "installation_line2",
            "installation_town",
            "installation_postcode",
        ]
        field_classes = {
            "phone": PhoneNumberField,
            "billing_postcode": UKPostcodeField,
            "installation_postcode": UKPostcodeField,
        }
        labels = {
            "billing_line1": "Address line 1",
            "billing_line2": "Address line 2",
            "billing_town": "Town or city",
            "billing_postcode": "Postcode",
            "installation_line1": "Address line 1",
            "installation_line2": "Address line 2",
            "installation_town": "Town or city",
            "installation_postcode": "Postcode",
        }
