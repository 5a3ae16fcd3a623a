"""Correspondence (seed 000 §1.4): enquiries and quote requests, deleted once dealt with (seed 002)."""

from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy

from .models import Enquiry, QuoteRequest

GRACE = privacy.Period(days=30)

# The built-in wording fits any shop; this one takes quote requests and repairs what it installs.
privacy.add(
    inventory.category(
        inventory.CORRESPONDENCE,
        description=_(
            "What you write to us and its metadata: enquiries, quote requests, support requests."
        ),
    ),
    inventory.purpose(
        inventory.SUPPORT,
        description=_("Answering your questions, resolving technical issues and repairing faults."),
    ),
)


@privacy.register(Enquiry)
class EnquirySource(privacy.ModelSource):
    label = _("Enquiries")
    subject_email = "email"
    data_subjects = "people who contact us"
    notice_labels = {
        "email": _("e-mail address"),
        "created_at": _("when you wrote"),
        "answered_at": _("when we answered"),
    }
    fields = {
        inventory.CORRESPONDENCE: [
            "name",
            "email",
            "phone",
            "subject",
            "message",
            "created_at",
            "answered_at",
        ]
    }
    # Who answered is the staff member's data, not the enquirer's.
    not_personal = ["answered_by"]
    # The name, the address, the phone and the message are encrypted at rest.
    in_clear = {"subject": "staff sort and search enquiries by their subject line"}
    retention = privacy.Retention(
        anchor="answered_at",
        period=GRACE,
        anchor_label=_("after we answer your enquiry"),
        reason="Seed 002: enquirers who do not become customers are deleted once answered.",
        fallback="created_at",
        fallback_period=privacy.Period(years=1),
        fallback_label=_("after you send it, if it is never answered"),
    )
    erasure = privacy.Delete()


@privacy.register(QuoteRequest)
class QuoteRequestSource(privacy.ModelSource):
    label = _("Quote requests")
    subject = "user"
    subject_email = "email"
    data_subjects = "prospective customers asking for a quote"
    notice_labels = {
        "email": _("e-mail address"),
        "created_at": _("when you asked"),
        "quoted_at": _("when we quoted"),
        "decided_at": _("when you decided"),
    }
    fields = {
        inventory.CORRESPONDENCE: [
            "name",
            "email",
            "phone",
            "company_name",
            "installation_postcode",
            "products",
            "quantity",
            "message",
            "created_at",
            "quoted_at",
            "decided_at",
        ]
    }
    not_personal = ["status"]  # draft, quoted, accepted, declined, expired
    retention = privacy.Retention(
        anchor="decided_at",
        period=GRACE,
        anchor_label=_("after the quote is accepted, declined or expires"),
        reason="Seed 002: quote data is deleted when no sale follows.",
        fallback="created_at",
        fallback_period=privacy.Period(years=1),
        fallback_label=_("after you ask, if the quote is never decided"),
    )
    erasure = privacy.Delete()
