"""The built-in inventory: categories and purposes worded for any online shop.

Its categories and purposes are installed in every registry: a category only appears in the notice
once a source holds data of it, and a purpose once a source's data serves it (or a cookie names
it). Their wording fits any shop; reword one for your own with :func:`category` or :func:`purpose`
and ``registry.add``. Drop a built-in with ``registry.remove(key)``.

The purposes of jsg_privacy's optional features (partner marketing, testimonials) are defined here
but installed only by the feature, when the shop switches it on (:mod:`jsg_privacy.features`).
Recipients are shop-specific, so the ones the two seed policies name are offered as ready-made
declarations for a shop to ``add`` (only the court-order disclosure applies to every shop and is
installed).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from jsg_privacy.registry import (
    Basis,
    Category,
    Cookie,
    Purpose,
    Recipient,
    RecipientKind,
    Registry,
    Safeguard,
)

ACCOUNT = "account"
ORDER = "order"
TRANSACTION = "transaction"
CORRESPONDENCE = "correspondence"
USAGE = "usage"
COOKIES = "cookies"
MARKETING = "marketing"
THIRD_PARTY = "third_party"
TESTIMONIAL = "testimonial"

CATEGORIES = (
    Category(
        ACCOUNT,
        _("Account data"),
        _(
            "Your name, address, contact number, e-mail address, password and the preferences you set "
            "in your account."
        ),
    ),
    Category(
        ORDER,
        _("Use of our services"),
        _("The products you order, where they are delivered and who placed the order."),
    ),
    Category(
        TRANSACTION,
        _("Transaction data"),
        _("Your purchases, amounts, billing details and payment references."),
    ),
    Category(
        CORRESPONDENCE,
        _("Correspondence data"),
        _("What you write to us and its metadata: enquiries, support requests and other messages."),
    ),
    Category(
        USAGE,
        _("Usage data"),
        _("Records of how our website and services are used."),
    ),
    Category(
        COOKIES,
        _("Cookies and similar technologies"),
        _("Small files stored by your browser; see the cookie table."),
    ),
    Category(
        MARKETING,
        _("Marketing preferences"),
        _("Whether you agreed to, or opted out of, our marketing messages, and when."),
    ),
    Category(
        THIRD_PARTY,
        _("Data from other sources"),
        _(
            "Data about you that we receive from others: third-party services, business partners or "
            "the person who ordered for you."
        ),
    ),
    Category(
        TESTIMONIAL,
        _("Testimonials"),
        _("Testimonials and customer stories you allowed us to publish."),
    ),
)

PROVIDE_SERVICE = "provide_service"
SUPPORT = "support"
RECORD_KEEPING = "record_keeping"
LEGAL_CLAIMS = "legal_claims"
SECURITY = "security"
PREFERENCES = "preferences"
ANALYTICS = "analytics"
MARKETING_CONSENT = "marketing"
TESTIMONIALS = "testimonials"
PARTNER_DATA = "partner_data"
PARTNER_MARKETING = "partner_marketing"
RIGHTS_REQUESTS = "rights_requests"

PURPOSES = (
    Purpose(
        PROVIDE_SERVICE,
        _("Providing the products and services you ask for"),
        Basis.CONTRACT,
        (ACCOUNT, ORDER, TRANSACTION, CORRESPONDENCE, THIRD_PARTY),
        _(
            "Running your account, taking and delivering your orders, and messages about them such "
            "as order confirmations and delivery updates."
        ),
        reference="seed 000 §1.2, §1.4, §2.1",
    ),
    Purpose(
        SUPPORT,
        _("Customer and technical support"),
        Basis.CONTRACT,
        (ACCOUNT, ORDER, CORRESPONDENCE),
        _("Answering your questions and resolving problems with your orders or our website."),
        reference="seed 000 §2.2",
    ),
    Purpose(
        RECORD_KEEPING,
        _("Keeping accounting and tax records"),
        Basis.LEGAL_OBLIGATION,
        (TRANSACTION, ORDER),
        _("Keeping records of transactions for the tax authorities and our accounts."),
        reference="seed 000 §1.3, seed 002 (7 years for tax)",
    ),
    Purpose(
        LEGAL_CLAIMS,
        _("Establishing, exercising or defending legal claims"),
        Basis.LEGITIMATE_INTERESTS,
        (ACCOUNT, ORDER, TRANSACTION, CORRESPONDENCE),
        _("Using the records we already hold if a dispute arises, in or out of court."),
        balancing_note=_(
            "We need our records to defend or pursue a claim; we use only records we already keep "
            "for other purposes and only when a claim arises, so the impact on you is low."
        ),
        reference="seed 000 §2.3",
    ),
    Purpose(
        SECURITY,
        _("Keeping our website and services secure"),
        Basis.LEGITIMATE_INTERESTS,
        (USAGE, ACCOUNT),
        _("Authenticating access to your account, detecting abuse and keeping back-ups."),
        balancing_note=_(
            "Securing the shop protects you and us; security records are kept only as long as "
            "needed and nothing is used to profile you."
        ),
        reference="seed 000 §1.2, seed 002 (server logs)",
    ),
    Purpose(
        PREFERENCES,
        _("Remembering your preferences"),
        Basis.CONSENT,
        (COOKIES,),
        _("Cookies that remember choices you make on the site."),
        cookie_label=_("Preference cookies"),
    ),
    Purpose(
        ANALYTICS,
        _("Understanding how our website is used"),
        Basis.CONSENT,
        (USAGE, COOKIES),
        _("Counting visits and searches to improve the site. None of this is used to profile you."),
        reference="seed 000 §1.6",
        cookie_label=_("Analytics cookies"),
        cookie_description=_(
            "They count visits and searches so that we can improve the site. None of this is used "
            "to profile you."
        ),
    ),
    Purpose(
        MARKETING_CONSENT,
        _("Sending you news and offers"),
        Basis.CONSENT,
        (MARKETING, COOKIES),
        _(
            "News about our products and offers, only in the ways you chose. You can withdraw at "
            "any time, from your account or any message."
        ),
        reference="seed 000 §2.4",
        cookie_label=_("Advertising cookies"),
        cookie_description=_(
            "They show you our adverts on other websites and measure which adverts work. Your "
            "choices about e-mails, text messages, calls and post are separate."
        ),
    ),
    Purpose(
        PARTNER_DATA,
        _("Using data from our group companies and partners"),
        Basis.LEGITIMATE_INTERESTS,
        (THIRD_PARTY,),
        _("Completing and correcting the details we need to serve you."),
        balancing_note=_(
            "You are, or are about to become, our customer through the partner; we use only what "
            "is needed to serve you and tell you where it came from."
        ),
        reference="seed 000 §1.5",
    ),
    Purpose(
        RIGHTS_REQUESTS,
        _("Answering your requests about your data"),
        Basis.LEGAL_OBLIGATION,
        (),  # in use only where a source names it: jsg_privacy's own request records do
        _(
            "Handling your requests to access, correct, erase, restrict or object to the use of "
            "your data, and keeping proof of how we answered them."
        ),
        reference="UK GDPR Arts. 12-22, seed 002 (your rights)",
    ),
)

#: Installed by partner marketing when the shop switches it on (``JSG_PRIVACY_MARKETING_PARTNERS``).
PARTNER_MARKETING_PURPOSE = Purpose(
    PARTNER_MARKETING,
    _("Passing your contact details to selected partners for their marketing"),
    Basis.CONSENT,
    (MARKETING,),
    _(
        "Only if you tick the separate box: selected partners may contact you with their own "
        "offers, each as a controller with its own privacy policy."
    ),
    reference="seed 000 §1.5",
)
#: Installed by testimonials when the shop switches them on (``JSG_PRIVACY_MARKETING_TESTIMONIALS``).
TESTIMONIALS_PURPOSE = Purpose(
    TESTIMONIALS,
    _("Publishing testimonials and customer stories"),
    Basis.CONSENT,
    (TESTIMONIAL,),
    _(
        "Publishing what you tell us about our products and services, with your name, only with "
        "your permission, which you can withdraw at any time."
    ),
    reference="seed 000 §2.4.1",
)

#: Installed in every registry: any shop may be compelled by a court.
COURT_ORDER = Recipient(
    "court_order",
    _("Courts and authorities, on a court order"),
    RecipientKind.AUTHORITY,
    "GB",
    (ACCOUNT, ORDER, TRANSACTION, CORRESPONDENCE),
    purposes=(LEGAL_CLAIMS,),
    description=_("Only if we are required to by a court order or by law."),
)

#: Ready-made declarations of the recipients the seeds name; ``registry.add`` the ones you use.
SUPPLIERS_CHINA = Recipient(
    "suppliers_china",
    _("Suppliers and manufacturers in China"),
    RecipientKind.PROCESSOR,
    "CN",
    (ORDER,),
    purposes=(PROVIDE_SERVICE,),
    safeguard=Safeguard.SCCS,
    description=_("Only to the extent needed to meet our service obligations."),
)
GROUP_COMPANIES = Recipient(
    "group_companies",
    _("Our group companies"),
    RecipientKind.GROUP_COMPANY,
    "GB",
    (ACCOUNT, ORDER),
    purposes=(PROVIDE_SERVICE,),
    description=_("Our subsidiaries, ultimate holding company and its subsidiaries."),
)
CHANNEL_PARTNERS = Recipient(
    "channel_partners",
    _("Selected suppliers from our group and channel partners"),
    RecipientKind.CONTROLLER,
    "GB",
    (ACCOUNT, MARKETING),
    purposes=(PARTNER_MARKETING,),
    description=_("Each acts as a controller and gives you its own privacy policy."),
)
HOSTING = Recipient(
    "hosting",
    _("Our website hosting provider"),
    RecipientKind.PROCESSOR,
    "GB",
    (ACCOUNT, ORDER, TRANSACTION, CORRESPONDENCE, USAGE),
    purposes=(PROVIDE_SERVICE, SECURITY),
    description=_("Hosts our website and databases in the UK."),
)
CLOUD_SERVICES = Recipient(
    "cloud_services",
    _("Cloud e-mail and accounting services"),
    RecipientKind.PROCESSOR,
    "GB",
    (ACCOUNT, TRANSACTION, CORRESPONDENCE),
    purposes=(PROVIDE_SERVICE, RECORD_KEEPING),
    description=_("E-mail management, accountancy software and office services."),
)
PAYPAL = Recipient(
    "paypal",
    "PayPal (Europe) S.à r.l. et Cie, S.C.A.",
    RecipientKind.PAYMENT_PROVIDER,
    "LU",
    (TRANSACTION,),
    purposes=(PROVIDE_SERVICE,),
    safeguard=Safeguard.ADEQUACY,
    # The outbound allowlist: the PayPal gateway sends nothing else (jsg_privacy.payments).
    fields=("amount", "currency", "order_reference"),
    contract="PayPal User Agreement and Data Protection Addendum",
    description=_(
        "Processes payments and refunds you make with PayPal; you log in and approve the payment "
        "at PayPal, and we receive only its order and payment references."
    ),
    # Art. 19: an erasure deletes payment tokens PayPal keeps for the subject through its API.
    notifier="jsg_privacy.payments.notifier.PaymentNotifier",
)
SAGEPAY = Recipient(
    "sagepay",
    "Opayo (Elavon; formerly SagePay)",
    RecipientKind.PAYMENT_PROVIDER,
    "GB",
    (TRANSACTION,),
    purposes=(PROVIDE_SERVICE,),
    # The outbound allowlist of the Opayo gateway: Opayo Pi requires the payer's name and billing
    # address with every card payment; the card goes from the browser to Opayo directly.
    fields=(
        "amount",
        "currency",
        "order_reference",
        "payment_method",
        "billing_name",
        "billing_address",
    ),
    contract="Opayo (Elavon) merchant agreement",
    description=_(
        "Processes card payments and refunds; card details go from your browser to Opayo and "
        "never reach us. Opayo also receives your name and billing address, which it requires "
        "to take a card payment."
    ),
    notifier="jsg_privacy.payments.notifier.PaymentNotifier",
)
STRIPE = Recipient(
    "stripe",
    "Stripe, Inc.",
    RecipientKind.PAYMENT_PROVIDER,
    "US",
    (TRANSACTION,),
    purposes=(PROVIDE_SERVICE,),
    safeguard=Safeguard.DPF,
    # The outbound allowlist: the Stripe backend sends nothing else (jsg_privacy.payments).
    fields=("amount", "currency", "order_reference"),
    contract="Stripe Services Agreement and Data Processing Agreement",
    description=_(
        "Processes card payments and refunds; card details go from your browser to "
        "Stripe and never reach us."
    ),
    # Art. 19: an erasure deletes the subject's customers at Stripe through its API.
    notifier="jsg_privacy.payments.notifier.StripeNotifier",
)

#: Cookies Django itself sets, strictly necessary for a shop with a cart, log-in and forms.
NECESSARY = "necessary"
DJANGO_COOKIES = (
    Cookie(
        "sessionid",
        _("this website"),
        NECESSARY,
        timedelta(weeks=2),
        _("Keeps your basket and log-in between pages."),
    ),
    Cookie(
        "csrftoken",
        _("this website"),
        NECESSARY,
        timedelta(days=365),
        _("Protects forms against cross-site request forgery."),
    ),
    Cookie(
        "messages",
        _("this website"),
        NECESSARY,
        None,
        _("Carries a confirmation message to the next page."),
    ),
)
NECESSARY_PURPOSE = Purpose(
    NECESSARY,
    _("Strictly necessary for the website to work"),
    Basis.LEGITIMATE_INTERESTS,
    (COOKIES,),
    _(
        "Cookies without which the basket, log-in and forms would not work. They are exempt from "
        "consent under PECR regulation 6(4)."
    ),
    balancing_note=_(
        "Strictly necessary to provide the service you ask for; they hold no profile."
    ),
)


def install(registry: Registry) -> None:
    """Install the built-in categories, purposes, the court-order recipient and Django's cookies."""
    registry.add(*CATEGORIES, *PURPOSES, NECESSARY_PURPOSE, COURT_ORDER, *DJANGO_COOKIES)


def category(key: str, **changes: Any) -> Category:
    """The built-in category ``key``, with ``changes`` (your own ``label`` or ``description``).

    ``registry.add(inventory.category(inventory.ORDER, description=_("..."))`` rewords it for your
    shop's notice; the key, and so every declaration naming it, stays the same.
    """
    for found in CATEGORIES:
        if found.key == key:
            return replace(found, **changes)
    raise LookupError(f"{key!r} is not a built-in category.")


def purpose(key: str, **changes: Any) -> Purpose:
    """The built-in purpose ``key``, with ``changes`` (``label``, ``description``,
    ``balancing_note``...): ``registry.add(inventory.purpose(...))`` rewords it for your shop."""
    for found in (*PURPOSES, NECESSARY_PURPOSE, PARTNER_MARKETING_PURPOSE, TESTIMONIALS_PURPOSE):
        if found.key == key:
            return replace(found, **changes)
    raise LookupError(f"{key!r} is not a built-in purpose.")
