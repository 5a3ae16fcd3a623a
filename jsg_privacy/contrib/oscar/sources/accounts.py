"""A customer's account in an Oscar shop: the user, the address book, the wish lists, the product
alerts and the messages the shop sent (Django's ``auth`` and Oscar's ``address``, ``customer``,
``wishlists`` and ``communication`` apps).

Erasing a customer deletes their account and all of this. Account data is kept while the account
is used: 3 years after the last log-in it is deleted with the account.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.contrib.oscar.sources.rules import ADDRESS_FIELDS, deleted, kept_with_account

TWO_YEARS = privacy.Period(years=2)
#: The e-mails and notifications the shop sent.
SENT = deleted(
    "date_sent", TWO_YEARS, _("after it is sent"), _("long enough to deal with questions about it")
)


class UserSource(privacy.ModelSource):
    """Django's own user model (``auth.User``), as Oscar uses it. Deleting a user keeps their
    orders (``Order.user`` is ``SET_NULL``): those follow their own hold."""

    label = _("Your account")
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
    not_personal = ["is_superuser", "is_staff", "is_active", "groups", "user_permissions"]
    export = ["username", "first_name", "last_name", "email", "last_login", "date_joined"]
    retention = kept_with_account("last_login", "date_joined")
    erasure = privacy.Delete()


class UserAddressSource(privacy.ModelSource):
    label = _("Your address book")
    subject = "user"
    fields = {
        inventory.ACCOUNT: [
            *ADDRESS_FIELDS,
            "phone_number",
            "notes",
            "search_text",
            "is_default_for_shipping",
            "is_default_for_billing",
            "num_orders_as_shipping_address",
            "num_orders_as_billing_address",
            "date_created",
        ]
    }
    not_personal = ["code", "hash"]  # an id, and a checksum Oscar uses to spot duplicates
    export = [
        *ADDRESS_FIELDS,
        "phone_number",
        "notes",
        "is_default_for_shipping",
        "is_default_for_billing",
        "date_created",
    ]
    retention = kept_with_account("user__last_login", "date_created")
    erasure = privacy.Delete()


class WishListSource(privacy.ModelSource):
    label = _("Your wish lists")
    subject = "owner"
    fields = {inventory.ACCOUNT: ["name", "visibility", "date_created"]}
    not_personal = ["key"]  # a random key in the list's address
    retention = kept_with_account("owner__last_login", "date_created")
    erasure = privacy.Delete()


class WishListLineSource(privacy.ModelSource):
    label = _("What is on your wish lists")
    subject = "wishlist__owner"
    fields = {inventory.ACCOUNT: ["product", "title", "quantity"]}
    not_personal = ["wishlist"]
    export = ["wishlist__name", "title", "quantity"]
    retention = kept_with_account("wishlist__owner__last_login", "wishlist__date_created")
    erasure = privacy.Delete()


class WishListSharedEmailSource(privacy.ModelSource):
    """An address a customer shared a wish list with: someone else's address, given by them.

    The row is the list owner's (an address finds only rows without an account, see
    docs/requests.md), so it is exported and erased with the owner's data.
    """

    label = _("Addresses you shared wish lists with")
    subject = "wishlist__owner"
    data_subjects = "customers, and the people they share wish lists with"
    origins = (privacy.Origin.SUBJECT,)
    fields = {inventory.THIRD_PARTY: ["email"]}
    not_personal = ["wishlist"]
    export = ["wishlist__name", "email"]
    # Sharing a wish list is a service the owner asked for; it is no partner's data.
    purposes = (inventory.PROVIDE_SERVICE,)
    retention = kept_with_account("wishlist__owner__last_login", "wishlist__date_created")
    erasure = privacy.Delete()


class ProductAlertSource(privacy.ModelSource):
    """ "Tell me when it is back in stock", from a customer or from a visitor by e-mail."""

    label = _("Stock alerts you asked for")
    subject = "user"
    subject_email = "email"
    data_subjects = "customers and visitors who ask to be told when a product is back"
    fields = {
        inventory.CORRESPONDENCE: [
            "product",
            "email",
            "status",
            "date_created",
            "date_confirmed",
            "date_cancelled",
            "date_closed",
        ]
    }
    not_personal = ["key"]  # the random key of the confirmation link
    export = [
        "product__title",
        "email",
        "status",
        "date_created",
        "date_confirmed",
        "date_cancelled",
        "date_closed",
    ]
    retention = deleted(
        "date_created",
        TWO_YEARS,
        _("after you ask for the alert"),
        _("long enough for the product to come back"),
    )
    erasure = privacy.Delete()


class EmailSource(privacy.ModelSource):
    """The e-mails Oscar sent and keeps (``OSCAR_SAVE_SENT_EMAILS_TO_DB``), shown in the account."""

    label = _("E-mails we sent you")
    subject = "user"
    subject_email = "email"
    fields = {inventory.CORRESPONDENCE: ["email", "subject", "body_text", "body_html", "date_sent"]}
    export = ["email", "subject", "body_text", "date_sent"]
    retention = SENT
    erasure = privacy.Delete()


class NotificationSource(privacy.ModelSource):
    label = _("Notifications in your account")
    subject = "recipient"
    fields = {inventory.CORRESPONDENCE: ["subject", "body", "location", "date_sent", "date_read"]}
    not_personal = ["sender"]  # the member of staff who sent it, if any
    retention = SENT
    erasure = privacy.Delete()
