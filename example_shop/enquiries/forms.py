from typing import Any

from django import forms

from example_shop.catalogue.models import Product
from example_shop.enquiries.models import Enquiry, QuoteRequest
from example_shop.forms import PhoneNumberField, UKPostcodeField


class EnquiryForm(forms.ModelForm):
    class Meta:
        model = Enquiry
        fields = ["name", "email", "phone", "subject", "message"]
        field_classes = {"phone": PhoneNumberField}
        labels = {
            "name": "Your name",
            "email": "E-mail address",
            "phone": "Phone number (optional)",
            "message": "Your message",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}


class QuoteRequestForm(forms.ModelForm):
    products = forms.ModelMultipleChoiceField(
        label="Products you are interested in",
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = QuoteRequest
        fields = [
            "name",
            "email",
            "phone",
            "company_name",
            "installation_postcode",
            "products",
            "quantity",
            "message",
        ]
        field_classes = {"phone": PhoneNumberField, "installation_postcode": UKPostcodeField}
        labels = {
            "name": "Your name",
            "email": "E-mail address",
            "phone": "Phone number",
            "company_name": "Company name (optional)",
            "installation_postcode": "Installation postcode",
            "quantity": "How many meters or CTs?",
            "message": "Tell us about the installation",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = Product.objects.active().only("pk", "name")
