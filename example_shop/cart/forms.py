from django import forms

from example_shop.cart.cart import MAX_QUANTITY


class QuantityForm(forms.Form):
    """The quantity posted by the product page's add-to-cart form and the cart's update form."""

    quantity = forms.IntegerField(
        label="Quantity",
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        error_messages={
            "required": "Please enter a quantity.",
            "invalid": "Please enter a whole number for the quantity.",
            "min_value": "Please choose a quantity of at least 1.",
            "max_value": (
                f"You can order up to {MAX_QUANTITY} of one product online; "
                "please request a quote for larger quantities."
            ),
        },
    )


def first_error(form: forms.Form) -> str:
    """The first error of a bound, invalid form, for a one-line message."""
    for errors in form.errors.values():
        return str(errors[0])
    return "Please check the quantity."
