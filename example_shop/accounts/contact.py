"""How the example shop reaches a customer, per marketing medium (``JSG_PRIVACY_MARKETING_CONTACT``)."""

from __future__ import annotations

from typing import Any

from example_shop.accounts.models import CustomerProfile


def marketing_contact(user: Any, medium: str) -> str:
    """The account's e-mail address, saved phone number or saved billing address; "" if none."""
    if medium == "email":
        return str(user.email or "")
    profile = CustomerProfile.objects.filter(user=user).first()
    if profile is None:
        return ""
    if medium in {"sms", "phone"}:
        return str(profile.phone or "")
    if medium == "post":
        return str(profile.billing_line1 or "")
    return ""
