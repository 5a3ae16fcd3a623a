"""What the shop's accounts hold about a customer (seed 000 §1.1 "account data")."""

from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy

from .models import CustomerProfile

THREE_YEARS_AFTER_LAST_LOGIN = privacy.Retention(
    anchor="last_login",
    period=privacy.Period(years=3),
    anchor_label=_("after your last log-in"),
    reason="An account unused for three years is closed.",
    # An account nobody ever logged in to is closed three years after it was opened.
    fallback="date_joined",
    fallback_label=_("after it was opened, if you never logged in"),
)


@privacy.register("auth.User")
class UserSource(privacy.ModelSource):
    """Django's own user model: the shop does not own it, so it is declared by label."""

    label = _("Your account")
    notice_labels = {
        "password": _("password (stored so that nobody can read it)"),
        "last_login": _("when you last logged in"),
        "date_joined": _("when you signed up"),
    }
    fields = {
        inventory.ACCOUNT: [
            "username",
            "first_name",
            "last_name",
            "email",
            "password",
            "last_login",
            "date_joined",
        ]
    }
    export = ["username", "first_name", "last_name", "email", "last_login", "date_joined"]
    # Whether the account may sign in or reach the admin: switches, not facts about the person.
    not_personal = ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]
    retention = THREE_YEARS_AFTER_LAST_LOGIN
    erasure = privacy.Delete()


@privacy.register(CustomerProfile)
class CustomerProfileSource(privacy.ModelSource):
    label = _("Your saved details")
    notice_labels = {"created_at": _("when you saved them")}
    subject = "user"
    fields = {
        inventory.ACCOUNT: [
            "phone",
            "company_name",
            "billing_line1",
            "billing_line2",
            "billing_town",
            "billing_postcode",
            "created_at",
        ],
        inventory.ORDER: [
            "installation_line1",
            "installation_line2",
            "installation_town",
            "installation_postcode",
        ],
    }
    retention = privacy.Retention(
        anchor="user__last_login",
        period=privacy.Period(years=3),
        anchor_label=_("after your last log-in"),
        fallback="user__date_joined",
        fallback_label=_("after your account was opened, if you never logged in"),
    )
    erasure = privacy.Delete()


privacy.exempt(
    "admin.LogEntry",
    reason="Records what staff did in the admin, for accountability; it is about staff, not customers.",
)
