"""What an order holds (seed 000 §1.2 use of the services, §1.3 transaction data) and who receives it.

The built-in inventory is worded for any shop; a smart-meter shop installs what it sells, quotes and
books appointments, so it rewords the categories and purposes its orders serve.
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.registry import anonymisers

from .models import Order, OrderLine

TAX_HOLD = privacy.Period(years=7)
#: An order never invoiced (unpaid or cancelled) holds no tax record: kept long enough for
#: disputes about it, then anonymised like an invoiced one at the end of its hold.
UNINVOICED = privacy.Period(years=2)
TAX_REASON = _("HMRC requires sales and VAT records to be kept; we keep them 7 years")
#: What a VAT invoice holds besides the customer's name: kept on erasure until the hold ends.
INVOICE_FIELDS = (
    "billing_line1",
    "billing_line2",
    "billing_town",
    "billing_postcode",
    "billing_country",
    "subtotal",
    "total",
    "created_at",
    "invoiced_at",
)

#: Art. 19: where each recipient is told when a customer's data is erased, corrected or restricted
#: (the demo's addresses; a real shop puts the contacts from its data-processing agreements here).
CONTACTS = {
    inventory.HOSTING.key: "dpo@hosting.example",
    inventory.CLOUD_SERVICES.key: "privacy@mail-and-accounts.example",
    inventory.GROUP_COMPANIES.key: "data-protection@jsg-group.example",
    inventory.SUPPLIERS_CHINA.key: "privacy@meter-supplier.example",
    inventory.CHANNEL_PARTNERS.key: "partners-privacy@jsg-group.example",
}


def told_at(recipient: privacy.Recipient) -> privacy.Recipient:
    return dataclasses.replace(recipient, contact=CONTACTS[recipient.key])


#: Seed 000 §1.5 and §2.1: "any member of our group of companies" and "selected third party
#: suppliers ... from our business group and channel partners", each named in the notice (the ICO
#: expects third parties that rely on consent to be named). Demo names: a real shop lists its own.
GROUP_COMPANY_NAMES = (
    "JSG Group Holdings Ltd (demo), our holding company",
    "JSG Installations Ltd (demo), which fits the meters we sell",
)
PARTNER_NAMES = (
    "Essex Energy Monitoring Ltd (demo)",
    "Meterline Distribution Ltd (demo)",
)


privacy.add(
    told_at(inventory.HOSTING),
    told_at(inventory.CLOUD_SERVICES),
    dataclasses.replace(told_at(inventory.GROUP_COMPANIES), names=GROUP_COMPANY_NAMES),
    told_at(inventory.SUPPLIERS_CHINA),
    # Card payments: Stripe receives only its declared fields (jsg_privacy.payments.outbound), and
    # an erasure deletes the customer's records there through its API.
    inventory.STRIPE,
    # PayPal: the buyer approves at PayPal; it receives the amount, currency and order reference.
    inventory.PAYPAL,
    # Opayo: the card goes from the browser to Opayo; Opayo requires the name and billing address.
    inventory.SAGEPAY,
    # Seed 000 §1.5: with the separate box ticked (JSG_PRIVACY_MARKETING_PARTNERS in settings).
    dataclasses.replace(told_at(inventory.CHANNEL_PARTNERS), names=PARTNER_NAMES),
    inventory.purpose(
        inventory.PARTNER_MARKETING,
        description=_(
            "Only if you tick the separate box: selected suppliers from our group and channel "
            "partners may contact you with their offers, each as a controller with its own policy."
        ),
    ),
    # Seed 000 §1.2-§1.4 in this shop's words: installations, quotes and appointments.
    inventory.category(
        inventory.ORDER,
        description=_(
            "The products you buy, your installation address and site details, and who placed the "
            "order: you, your employer or an agent."
        ),
    ),
    inventory.category(
        inventory.TRANSACTION,
        description=_(
            "Your purchases, amounts, billing details and payment references. Card numbers never "
            "reach us: our payment providers handle them."
        ),
    ),
    inventory.category(
        inventory.THIRD_PARTY,
        description=_(
            "Data about you that we receive from third-party services, our group companies and "
            "channel partners, or the person who ordered for you."
        ),
    ),
    inventory.purpose(
        inventory.PROVIDE_SERVICE,
        description=_(
            "Running your account, quoting, taking and delivering orders, installation and "
            "transactional messages such as order confirmations and appointment reminders."
        ),
    ),
    inventory.purpose(
        inventory.RECORD_KEEPING,
        description=_("Keeping records of transactions for HMRC and our accounts."),
    ),
)


@privacy.register(Order)
class OrderSource(privacy.ModelSource):
    label = _("Orders")
    subject = "user"
    subject_email = "email"
    data_subjects = "customers and the people ordering for them"
    # Seed 000 §1.2 records the source of the data: you, your employer or an agent.
    origins = (privacy.Origin.SUBJECT, privacy.Origin.EMPLOYER, privacy.Origin.AGENT)
    origin_field = "ordered_on_behalf"
    notice_labels = {
        "email": _("e-mail address"),
        "created_at": _("when you ordered"),
        "invoiced_at": _("when we invoiced you"),
        "agent_email": _("agent's e-mail address"),
    }
    fields = {
        inventory.ACCOUNT: ["full_name", "email", "phone"],
        inventory.ORDER: [
            "installation_line1",
            "installation_line2",
            "installation_town",
            "installation_postcode",
            "installation_country",
            "site_contact_name",
            "site_contact_phone",
            "access_notes",
            "mpan",
            "meter_serial",
        ],
        inventory.TRANSACTION: list(INVOICE_FIELDS),
        inventory.THIRD_PARTY: ["company_name", "agent_name", "agent_email", "agent_phone"],
    }
    # The export shows each order by its reference, then every declared field; amounts in pounds.
    export = ["reference", *(name for names in fields.values() for name in names)]
    money = {"subtotal": privacy.Money(currency="GBP"), "total": privacy.Money(currency="GBP")}
    # The agent and the site contact are other people: a customer's export shows them redacted
    # (unless they hold the customer's own details: a customer is often their own site contact).
    redact = ("agent_name", "agent_email", "agent_phone", "site_contact_name", "site_contact_phone")
    # Everything else that holds text is encrypted at rest (check I001 lists what is not).
    in_clear = {
        "billing_country": "a country code identifies nobody on its own; VAT reports group by it",
        "installation_country": "a country code identifies nobody on its own",
    }
    # The order's number, its unguessable page id, and where it stands.
    not_personal = ["reference", "public_id", "status", "completed_at"]
    retention = privacy.Retention(
        anchor="invoiced_at",
        period=TAX_HOLD,
        action=privacy.Action.ANONYMISE,
        anchor_label=_("after the order is invoiced"),
        reason=TAX_REASON,
        # An order never invoiced (unpaid, cancelled) is no tax record: anonymised sooner.
        fallback="created_at",
        fallback_period=UNINVOICED,
        fallback_label=_("after it is placed, if it is never invoiced (unpaid or cancelled)"),
    )
    erasure = privacy.LegalHold(
        anchor="invoiced_at",
        period=TAX_HOLD,
        reason=TAX_REASON,
        anchor_label=_("after the order is invoiced"),
        # What a VAT invoice needs stays until the hold ends; the rest is cleared on erasure.
        keep=("full_name", *INVOICE_FIELDS),
        then=privacy.Anonymise(
            {
                "billing_postcode": anonymisers.keep_outward_postcode,
                "installation_postcode": anonymisers.keep_outward_postcode,
                "installation_country": anonymisers.fixed("GB"),
                "billing_country": anonymisers.fixed("GB"),
                # Amounts and dates stay for the accounts; without a name they identify nobody.
                "subtotal": anonymisers.keep,
                "total": anonymisers.keep,
                "created_at": anonymisers.keep,
                "invoiced_at": anonymisers.keep,
            }
        ),
    )


@privacy.register(OrderLine)
class OrderLineSource(privacy.ModelSource):
    label = _("Products you ordered")
    subject = "order__user"
    subject_email = "order__email"
    fields = {inventory.ORDER: ["product_name", "unit_price", "quantity"]}
    # Each line names its order by reference (not its id), so a customer can read them together.
    export = ["order__reference", "product_name", "unit_price", "quantity"]
    money = {"unit_price": privacy.Money(currency="GBP")}
    not_personal = ["product"]  # the catalogue entry; its name as ordered is in product_name
    in_clear = {"product_name": "the catalogue's name of the product, the same for every buyer"}
    retention = privacy.Retention(
        anchor="order__invoiced_at",
        period=TAX_HOLD,
        action=privacy.Action.DELETE,
        anchor_label=_("after the order is invoiced"),
        reason=TAX_REASON,
        fallback="order__created_at",
        fallback_period=UNINVOICED,
        fallback_label=_("after the order is placed, if it is never invoiced"),
    )
    erasure = privacy.LegalHold(
        anchor="order__invoiced_at",
        period=TAX_HOLD,
        reason=TAX_REASON,
        then=privacy.Delete(),
        anchor_label=_("after the order is invoiced"),
        keep=("product_name", "unit_price", "quantity"),
    )
