"""The shop's own cookies beyond Django's: each declared with provider, purpose and lifetime.

The tags that set them are in the base template as inert ``type="text/plain"`` scripts: the cookie
banner runs them only after the visitor accepts their group. The shop's wording of what its site
logs and advertises follows them.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy

#: The advertising partner that measures our adverts with the _adclick cookie (demo name).
AD_PARTNER = "Clickmetrics Ltd (demo)"

privacy.add(
    # Set by the language switcher ({% language_switcher %}) when a visitor picks a language: a
    # choice they ask for, so strictly necessary. Django sets it; the notice lists it.
    privacy.Cookie(
        settings.LANGUAGE_COOKIE_NAME,
        _("this website"),
        inventory.NECESSARY,
        timedelta(seconds=settings.LANGUAGE_COOKIE_AGE) if settings.LANGUAGE_COOKIE_AGE else None,
        _("Remembers the language you chose for the shop's pages."),
    ),
    privacy.Cookie(
        "_sa_id",
        _("JSG Metering Solutions (first-party analytics)"),
        inventory.ANALYTICS,
        timedelta(days=365),
        _("Tells visits apart so we can count them; never shared."),
    ),
    privacy.Cookie(
        "_sa_s_*",
        _("JSG Metering Solutions (first-party analytics)"),
        inventory.ANALYTICS,
        timedelta(minutes=30),
        _("Groups the pages of one visit."),
    ),
    privacy.Cookie(
        "_sa_last_visit",
        _("JSG Metering Solutions (first-party analytics)"),
        inventory.ANALYTICS,
        None,
        _("When you last visited, so we can count returning visits."),
        storage=privacy.Storage.LOCAL_STORAGE,
    ),
    privacy.Cookie(
        "_adclick",
        AD_PARTNER,
        inventory.MARKETING_CONSENT,
        timedelta(days=90),
        _("Records that you came from one of our adverts, so the partner can measure it."),
    ),
)

# The advertising partner receives what the _adclick cookie records (which advert you came from),
# only with consent to marketing cookies: named in the notice as a recipient.
privacy.add(
    privacy.Recipient(
        "ad_partner",
        AD_PARTNER,
        privacy.RecipientKind.CONTROLLER,
        "GB",
        (inventory.COOKIES,),
        purposes=(inventory.MARKETING_CONSENT,),
        names=(AD_PARTNER,),
        contact="privacy@clickmetrics.example",
        description=_(
            "Measures which of our adverts brought you to us, only if you accept marketing "
            "cookies. It uses the data under its own privacy policy."
        ),
    ),
)

# First-party analytics (_sa_id, _sa_s_*: our own script, nothing sent to anyone) counts visits
# and pages for statistics only, so for UK visitors it rests on the PECR statistical exception
# (Sch. A1, Data (Use and Access) Act 2025): on without a prompt, with a one-click objection.
# Visitors the shop treats as elsewhere (JSG_PRIVACY_EXCEPTION_COUNTRIES) are asked first.
privacy.add(
    inventory.purpose(
        inventory.ANALYTICS,
        basis=privacy.Basis.LEGITIMATE_INTERESTS,
        storage_route=privacy.StorageRoute.STATISTICAL,
        balancing_note=_(
            "Counting visits and pages with our own first-party tool shows us what to improve; it "
            "is aggregate, never shared or used to profile you, and you can object at any time."
        ),
    ),
)

# Seed 000 §1.6 and §2.4, seed 002's server logs: true here, because the shop logs usage
# (jsg_privacy.usage.middleware.UsageMiddleware, IP addresses truncated) and advertises elsewhere.
privacy.add(
    inventory.category(
        inventory.USAGE,
        description=_("Pages you visit, searches and server logs with IP addresses."),
    ),
    inventory.purpose(
        inventory.SECURITY,
        balancing_note=_(
            "Securing the shop protects you and us; server logs are kept briefly, IP addresses are "
            "truncated and nothing is used to profile you."
        ),
    ),
    inventory.purpose(
        inventory.MARKETING_CONSENT,
        description=_(
            "E-mails about new products, features and offers, and advertising on other websites. "
            "You can withdraw at any time, from your account or any message."
        ),
        cookie_label=_("Advertising cookies"),
        cookie_description=_(
            "The cookie of our advertising partner records that you came from one of our adverts, "
            "so that the partner can measure it. Your choices about e-mails, text messages, calls "
            "and post are separate."
        ),
    ),
)
