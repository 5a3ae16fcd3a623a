"""The checkout form: customer, billing and installation details, and who is placing the order."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from example_shop.forms import PhoneNumberField, UKPostcodeField
from example_shop.orders.models import Order
from example_shop.orders.validators import normalise_mpan
from jsg_privacy.consent.models import Channel
from jsg_privacy.marketing.forms import DEFAULT_CONTACT_FIELDS, MarketingConsentMixin

BILLING_FIELDS = ["billing_line1", "billing_line2", "billing_town", "billing_postcode"]
INSTALLATION_FIELDS = [
    "installation_line1",
    "installation_line2",
    "installation_town",
    "installation_postcode",
]
AGENT_FIELDS = ["company_name", "agent_name", "agent_email", "agent_phone"]


class CheckoutForm(MarketingConsentMixin, forms.ModelForm):
    """The order form, with jsg_privacy's marketing boxes (recorded when the order is placed).

    A guest's boxes start unticked; a signed-in customer's show their current choices
    (``marketing_person``), and unticking one withdraws it. A signed-in customer also gets
    ``save_details``: keep these details in the account for next time, as sign-up promises.
    """

    marketing_channel = Channel.CHECKOUT
    # Each channel needs its contact detail: no texts or calls without a phone number.
    marketing_contact_fields = {**DEFAULT_CONTACT_FIELDS, "post": "billing_line1"}

    # Wider than the 13-digit core so that an MPAN copied from a bill with spaces fits.
    mpan = forms.CharField(
        label="MPAN core (optional)",
        required=False,
        max_length=20,
        help_text="The 13-digit bottom line of the MPAN on your electricity bill.",
    )
    installation_same_as_billing = forms.BooleanField(
        label="The installation address is the same as the billing address",
        required=False,
        initial=True,
    )

    class Meta:
        model = Order
        fields = [
            "full_name",
            "email",
            "phone",
            *BILLING_FIELDS,
            *INSTALLATION_FIELDS,
            "site_contact_name",
            "site_contact_phone",
            "access_notes",
            "mpan",
            "meter_serial",
            "ordered_on_behalf",
            *AGENT_FIELDS,
        ]
        field_classes = {
            "phone": PhoneNumberField,
            "site_contact_phone": PhoneNumberField,
            "agent_phone": PhoneNumberField,
            "billing_postcode": UKPostcodeField,
            "installation_postcode": UKPostcodeField,
        }
        labels = {
            "full_name": "Full name",
            "email": "E-mail address",
            "phone": "Phone number",
            "ordered_on_behalf": "Who is placing this order?",
            "company_name": "Company name",
            "agent_name": "Your name",
            "agent_email": "Your e-mail address",
            "agent_phone": "Your phone number",
        }
        help_texts = {
            "company_name": "Your company, or the employer or agency placing the order.",
        }
        widgets = {
            "ordered_on_behalf": forms.RadioSelect,
            "access_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:
            self.fields["save_details"] = forms.BooleanField(
                label=_("Save these details in my account for next time"),
                help_text=_(
                    "Your phone number, company and addresses are filled in for you at your next "
                    "order. Untick this to keep your account's saved details as they are."
                ),
                required=False,
                initial=True,
            )
        # Installation address fields are checked in clean(): they may be copied from billing.
        for name in INSTALLATION_FIELDS:
            self.fields[name].required = False
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_mpan(self) -> str:
        return normalise_mpan(self.cleaned_data.get("mpan", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("installation_same_as_billing"):
            for billing, installation in zip(BILLING_FIELDS, INSTALLATION_FIELDS, strict=True):
                cleaned[installation] = cleaned.get(billing, "")
                self.errors.pop(installation, None)
        else:
            for name in ("installation_line1", "installation_town", "installation_postcode"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, "This field is required.")

        if cleaned.get("ordered_on_behalf", Order.OrderedOnBehalf.SELF) == (
            Order.OrderedOnBehalf.SELF
        ):
            # Keep no agent details the customer typed and then changed their mind about,
            # but a customer ordering for themselves may still name their company.
            for name in AGENT_FIELDS[1:]:
                cleaned[name] = ""
        else:
            for name in AGENT_FIELDS:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, "Required when an employer or agent is placing the order.")
        return cleaned
