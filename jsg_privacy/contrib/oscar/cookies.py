"""The cookies an Oscar shop sets, by the names and lifetimes in its settings.

- the open basket of a visitor who is not signed in (``OSCAR_BASKET_COOKIE_OPEN``): strictly
  necessary, the basket would not work without it;
- the recently viewed products (``OSCAR_RECENTLY_VIEWED_COOKIE_NAME``): a convenience, not needed
  for what the visitor asked for, so it waits for the "preferences" group of the banner;
- the language chosen from the list Oscar shows at the top of every page when the project has
  more than one language (``LANGUAGES``; Django's own cookie, ``LANGUAGE_COOKIE_NAME``): set when
  the visitor asks for a language, strictly necessary to show the pages in it;
- Google Analytics, when ``OSCAR_GOOGLE_ANALYTICS_ID`` (or ``GOOGLE_ANALYTICS_ID``) is set: Oscar's
  templates then load Google's tag, which jsg_privacy's templates hold back until the visitor
  accepts "analytics".
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy

WEEK = 7 * 24 * 60 * 60
GOOGLE = "Google Analytics (Google LLC)"

GOOGLE_ANALYTICS = privacy.Recipient(
    "google_analytics",
    GOOGLE,
    privacy.RecipientKind.PROCESSOR,
    "US",
    (inventory.USAGE,),
    purposes=(inventory.ANALYTICS,),
    safeguard=privacy.Safeguard.DPF,
    description=_(
        "Counts visits and purchases for us, once you accept analytics cookies; it receives your "
        "account number when you are signed in."
    ),
)


def _seconds(name: str, default: int) -> timedelta:
    return timedelta(seconds=int(getattr(settings, name, default)))


def google_analytics_id() -> str:
    """The tracking id Oscar's templates use, or ``""`` (Oscar reads the same two settings)."""
    found = getattr(settings, "OSCAR_GOOGLE_ANALYTICS_ID", None) or getattr(
        settings, "GOOGLE_ANALYTICS_ID", None
    )
    return str(found or "")


def oscar_cookies() -> list[privacy.Cookie]:
    """Oscar's own cookies, named as the project's settings name them."""
    cookies = [
        privacy.Cookie(
            getattr(settings, "OSCAR_BASKET_COOKIE_OPEN", "oscar_open_basket"),
            _("this website"),
            inventory.NECESSARY,
            _seconds("OSCAR_BASKET_COOKIE_LIFETIME", WEEK),
            _("Keeps your basket while you are not signed in."),
        ),
        privacy.Cookie(
            getattr(settings, "OSCAR_RECENTLY_VIEWED_COOKIE_NAME", "oscar_history"),
            _("this website"),
            inventory.PREFERENCES,
            _seconds("OSCAR_RECENTLY_VIEWED_COOKIE_LIFETIME", WEEK),
            _("Remembers the products you looked at, to show them to you again."),
        ),
    ]
    if len(settings.LANGUAGES) > 1:  # Oscar's templates offer the list then
        age = settings.LANGUAGE_COOKIE_AGE
        cookies.append(
            privacy.Cookie(
                settings.LANGUAGE_COOKIE_NAME,
                _("this website"),
                inventory.NECESSARY,
                timedelta(seconds=age) if age else None,
                _("Remembers the language you chose for the shop's pages."),
            )
        )
    if google_analytics_id():
        cookies += [
            privacy.Cookie(
                "_ga",
                GOOGLE,
                inventory.ANALYTICS,
                timedelta(days=400),
                _("Tells visitors apart, to count visits."),
            ),
            privacy.Cookie(
                "_ga_*",
                GOOGLE,
                inventory.ANALYTICS,
                timedelta(days=400),
                _("Keeps the state of a visit."),
            ),
        ]
    return cookies
