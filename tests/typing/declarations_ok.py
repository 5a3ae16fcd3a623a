"""A shop's ``privacy.py`` as docs/declaring-personal-data.md writes it, with translated wording.

Type-checked by ``make lint`` (``mypy jsg_privacy tests/typing``), never imported: if the public
declaration API stops accepting what a shop passes (lazy translations above all) or starts
accepting anything at all, lint fails. The lines marked ``type: ignore[...]`` at the end are
mistakes the API must keep refusing: ``warn_unused_ignores`` fails lint if one is accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any, assert_type

from django.utils.translation import gettext_lazy as _

from example_shop.enquiries.models import Enquiry
from example_shop.orders.models import Order
from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.registry import anonymisers

TAX_HOLD = privacy.Period(years=7)
TAX_REASON = _("HMRC requires sales and VAT records to be kept; we keep them 7 years")

privacy.add(inventory.HOSTING, inventory.SUPPLIERS_CHINA)


@privacy.register(Order)
class OrderSource(privacy.ModelSource):
    label = _("Your orders")
    subject = "user"
    subject_email = "email"
    data_subjects = _("customers and the people ordering for them")
    origins = (privacy.Origin.SUBJECT, privacy.Origin.EMPLOYER, privacy.Origin.AGENT)
    origin_field = "ordered_on_behalf"
    fields = {
        inventory.ACCOUNT: ["full_name", "email", "phone"],
        inventory.TRANSACTION: ["billing_postcode", "total", "invoiced_at"],
    }
    retention = privacy.Retention(
        anchor="invoiced_at",
        period=TAX_HOLD,
        action=privacy.Action.ANONYMISE,
        anchor_label=_("after the order is invoiced"),
        reason=TAX_REASON,
    )
    erasure = privacy.LegalHold(
        anchor="invoiced_at",
        period=TAX_HOLD,
        reason=TAX_REASON,
        anchor_label=_("after the order is invoiced"),
        then=privacy.Anonymise(
            {
                "billing_postcode": anonymisers.keep_outward_postcode,
                "total": anonymisers.keep,
                "invoiced_at": anonymisers.fixed(None),
            }
        ),
    )


# The decorator hands the class back as it is.
assert_type(OrderSource, type[OrderSource])


class EnquirySource(privacy.ModelSource):
    subject_email = "email"
    not_personal = ["answered_by"]
    fields = {inventory.CORRESPONDENCE: ["name", "email", "phone", "subject", "message"]}
    retention = privacy.Retention(anchor="answered_at", period=privacy.Period(days=30))
    purposes = (inventory.SUPPORT,)


privacy.register(Enquiry, EnquirySource)
privacy.exempt("admin.LogEntry", reason=_("Staff actions in the admin, not customer data."))
privacy.exempt(Enquiry, fields=["answered_by"], reason="The member of staff who answered.")

privacy.add(
    privacy.Category("credit", _("Credit applications"), _("Trade credit checks.")),
    privacy.Purpose(
        "fraud",
        _("Preventing fraud"),
        privacy.Basis.LEGITIMATE_INTERESTS,
        ("transaction",),
        description=_("Checks on orders that look unusual."),
        balancing_note=_("Fraud harms customers and us; checks use only order data we hold."),
    ),
    privacy.Recipient(
        "courier",
        _("Our courier"),
        privacy.RecipientKind.PROCESSOR,
        "GB",
        ("order",),
        purposes=("provide_service",),
        contract=_("Courier services agreement"),
        description=_("Delivers your order."),
    ),
    privacy.Cookie(
        "_ga_*",
        _("Google Analytics"),
        "analytics",
        timedelta(days=400),
        _("Tells visits apart, with your consent."),
    ),
    inventory.category(inventory.ORDER, description=_("The products you buy.")),
    inventory.purpose(inventory.PROVIDE_SERVICE, label=_("Running your account and orders")),
)
privacy.add_consent_mechanism("newsletter", _("the newsletter form's unticked box"))
privacy.remove("partner_data")


class CrmContacts(privacy.RemoteSource):
    key = "crm.contacts"
    label = _("Contacts in our CRM")
    fields = {inventory.ACCOUNT: ["name", "email", "phone"]}
    retention = privacy.Retention(anchor="last_contacted", period=privacy.Period(years=2))

    def export(self, subject: privacy.Subject) -> Iterable[Mapping[str, Any]]:
        if not subject.email:
            raise privacy.SourceUnavailable(_("Our CRM finds contacts by e-mail address only."))
        return [{"name": "", "email": subject.email, "phone": ""}]

    def erase(self, subject: privacy.Subject) -> int:
        return 0


privacy.register_remote(CrmContacts())


@privacy.on_change
def forget_cached_notice(*args: object) -> None:
    """A cache that a changed declaration invalidates; also called on its own."""


forget_cached_notice()  # the decorator hands back the function as declared


# Mistakes the API refuses (each ignore must stay needed: see the module's docstring).
privacy.Retention(anchor="invoiced_at", period=7)  # type: ignore[arg-type]
privacy.Category("credit", None)  # type: ignore[arg-type]
privacy.exempt("admin.LogEntry", reason=None)  # type: ignore[arg-type]
privacy.register(Order, Order)  # type: ignore[type-var]
