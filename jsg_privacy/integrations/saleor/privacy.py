"""The Saleor App's personal data, declared like any app's: its two indexes, Saleor itself as remote
sources, and the store as a recipient of the customers' marketing choices."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.integrations.saleor import identities
from jsg_privacy.integrations.saleor.models import (
    Customer,
    CustomerEmail,
    Installation,
    Leftover,
    Order,
)
from jsg_privacy.integrations.saleor.sources import SOURCES, TAX_REASON, tax_hold, tax_legal_hold
from jsg_privacy.registry import Subject

PLACED = _("after the order is placed")


@privacy.register(Customer)
class CustomerIndexSource(privacy.ModelSource):
    label = _("Your customer number in our Saleor store")
    subject_email = "email"
    fields = {inventory.ACCOUNT: ["saleor_id", "email", "updated_at"]}
    not_personal = ["installation", "erasure_case"]  # which store; the case has its own source
    retention = privacy.Retention(
        anchor="updated_at",
        period=privacy.Period(years=3),
        anchor_label=_("after your Saleor account last changed"),
        reason=_(
            "it only links your Saleor account to your choices; deleting the account removes it"
        ),
    )
    erasure = privacy.Delete()


@privacy.register(CustomerEmail)
class CustomerEmailSource(privacy.ModelSource):
    """The address history: found through any address a Saleor user had, so a person's export
    lists all their addresses and their erasure deletes all of them."""

    label = _("The e-mail addresses you had in our Saleor store")
    subject_email = "email"
    fields = {inventory.ACCOUNT: ["saleor_id", "email", "first_seen"]}
    not_personal = ["installation"]
    retention = privacy.Retention(
        anchor="first_seen",
        period=privacy.Period(years=7),
        anchor_label=_("after the address was first used in our Saleor store"),
        reason=_("it finds your orders placed under an earlier address, kept as long as they are"),
    )
    erasure = privacy.Delete()

    def rows_for(self, subject: Subject) -> QuerySet[Any]:
        if not subject.email:
            return CustomerEmail.objects.none()
        users = CustomerEmail.objects.filter(email_digest__matches=subject.email)
        found = Q(pk__in=[])
        for user in users.values("installation_id", "saleor_id"):
            found |= Q(**user)
        rows = CustomerEmail.objects.filter(found)
        # The Saleor sources run after these rows are deleted, in the same erasure: they still
        # need every address, to find the orders placed under an earlier one.
        identities.hold_for_erasure(
            subject.email, list(rows.values_list("installation_id", "saleor_id", "email"))
        )
        return rows


@privacy.register(Leftover)
class LeftoverSource(privacy.ModelSource):
    label = _("What remains to be cleared in our Saleor store after an erasure")
    subject_email = "email"
    fields = {inventory.ACCOUNT: ["email"]}
    not_personal = ["installation", "subject_key", "kind", "saleor_id", "found_at", "sql_given_at"]
    retention = privacy.Retention(
        anchor="found_at",
        period=privacy.Period(days=90),
        anchor_label=_("after your data was erased"),
        reason=_("until the store's operator has cleared what Saleor's API cannot"),
    )
    erasure = privacy.Delete()


@privacy.register(Order)
class OrderIndexSource(privacy.ModelSource):
    label = _("When you ordered from our Saleor store")
    subject_email = "user_email"
    fields = {
        inventory.TRANSACTION: ["number", "created_at"],
        inventory.ACCOUNT: ["user_email", "saleor_user_id"],
    }
    not_personal = ["installation", "saleor_id"]  # which store, and the order's id there

    @property
    def retention(self) -> privacy.Retention:  # type: ignore[override]  # computed when read
        # When the record is deleted, what the hold kept of the order in Saleor is cleared too.
        return privacy.Retention(
            anchor="created_at", period=tax_hold(), anchor_label=PLACED, reason=TAX_REASON
        )

    @property
    def erasure(self) -> privacy.LegalHold:  # type: ignore[override]  # computed when read
        return tax_legal_hold("created_at", ("number", "created_at"), PLACED, then=privacy.Delete())


#: The store receives each customer's marketing choices (private metadata its apps read): it is told
#: of a restriction and its lifting through its API (Art. 19). The store runs where the shop hosts
#: it; a shop on Saleor Cloud redeclares it with Saleor's country and transfer safeguard.
RECIPIENT = privacy.Recipient(
    "saleor",
    _("Our Saleor store and the apps installed in it"),
    privacy.RecipientKind.PROCESSOR,
    "GB",
    (inventory.MARKETING,),
    purposes=(inventory.MARKETING_CONSENT,),
    description=_(
        "Receives your marketing choices, so that the store and its apps send you only what you "
        "agreed to."
    ),
    notifier="jsg_privacy.integrations.saleor.notifier.SaleorNotifier",
)
privacy.add(RECIPIENT)


privacy.exempt(
    Installation,
    fields=["token"],
    reason="The app's credential for the store's API: encrypted, and nobody's personal data.",
)

for source_class in SOURCES:
    privacy.register_remote(source_class())
