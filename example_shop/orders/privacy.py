"""What an order holds (seed 000 §1.2 use of the services, §1.3 transaction data) and who receives it.

The built-in inventory is worded for any shop; a smart-meter shop installs what it sells, quotes and
books appointments, so it rewords the categories and purposes its orders serve.
"""

from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.registry import anonymisers

from .models import Order, OrderLine

TAX_HOLD = privacy.Period(years=7)
TAX_REASON = "HMRC requires sales and VAT records to be kept; we keep them 7 years"
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

privacy.add(
    inventory.HOSTING,
    inventory.CLOUD_SERVICES,
    inventory.GROUP_COMPANIES,
    inventory.SUPPLIERS_CHINA,
    # Card payments: Stripe receives only its declared fields (jsg_privacy.payments.outbound).
    inventory.STRIPE,
    # Seed 000 §1.5: with the separate box ticked (JSG_PRIVACY_MARKETING_PARTNERS in settings).
    inventory.CHANNEL_PARTNERS,
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
    subject = "user"
    subject_email = "email"
    data_subjects = "customers and the people ordering for them"
    # Seed 000 §1.2 records the source of the data: you, your employer or an agent.
    origins = (privacy.Origin.SUBJECT, privacy.Origin.EMPLOYER, privacy.Origin.AGENT)
    origin_field = "ordered_on_behalf"
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
    # The agent and the site contact are other people: a customer's export shows them redacted.
    redact = ("agent_name", "agent_email", "agent_phone", "site_contact_name", "site_contact_phone")
    # The order's number, its unguessable page id, and where it stands.
    not_personal = ["reference", "public_id", "status", "completed_at"]
    retention = privacy.Retention(
        anchor="invoiced_at",
        period=TAX_HOLD,
        action=privacy.Action.ANONYMISE,
        anchor_label="after the order is invoiced",
        reason=TAX_REASON,
    )
    erasure = privacy.LegalHold(
        anchor="invoiced_at",
        period=TAX_HOLD,
        reason=TAX_REASON,
        anchor_label="after the order is invoiced",
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
    label = "Products you ordered"
    subject = "order__user"
    subject_email = "order__email"
    fields = {inventory.ORDER: ["product_name", "unit_price", "quantity"]}
    not_personal = ["product"]  # the catalogue entry; its name as ordered is in product_name
    retention = privacy.Retention(
        anchor="order__invoiced_at",
        period=TAX_HOLD,
        action=privacy.Action.DELETE,
        anchor_label="after the order is invoiced",
        reason=TAX_REASON,
    )
    erasure = privacy.LegalHold(
        anchor="order__invoiced_at",
        period=TAX_HOLD,
        reason=TAX_REASON,
        then=privacy.Delete(),
        anchor_label="after the order is invoiced",
        keep=("product_name", "unit_price", "quantity"),
    )
