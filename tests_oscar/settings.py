"""The Oscar suite's shop: a Django project set up as docs/oscar.md says (Oscar's settings, then
jsg_privacy's, then the production ones), with test-only values at the end. It declares nothing
of its own: no privacy.py, no JSG_PRIVACY_MODULES.

SQLite in memory unless DATABASE_URL says otherwise, read as tests/settings.py reads it.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
import django
from oscar.defaults import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
ROOT_URLCONF = "tests_oscar.urls"
USE_TZ = True
STATIC_URL = "static/"

# django-startproject's own lists, as docs/oscar.md starts from them.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# -- docs/oscar.md, step 1: django-oscar ------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar.apps.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
]
SITE_ID = 1
MIDDLEWARE += [
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
TEMPLATES[0]["OPTIONS"]["context_processors"] += [
    "django.template.context_processors.i18n",
    "oscar.apps.search.context_processors.search_form",
    "oscar.apps.checkout.context_processors.checkout",
    "oscar.apps.communication.notifications.context_processors.notifications",
    "oscar.core.context_processors.metadata",
]
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(tempfile.gettempdir()) / "jsg-privacy-oscar-media"  # Oscar copies an image in

# -- docs/oscar.md, step 2: jsg_privacy -------------------------------------------------------

INSTALLED_APPS = [
    "cookie_consent",
    "jsg_privacy.contrib.oscar",
    "jsg_privacy",
    *INSTALLED_APPS,
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "jsg_privacy.consent.middleware.ConsentMiddleware",
)
# The card-data guard, right after SecurityMiddleware: a card number typed into any form (a
# search box, a delivery note) is refused before a session, a view or a log sees it.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "jsg_privacy.payments.guard.CardDataGuardMiddleware",
)
JSG_PRIVACY_CONTROLLER = {
    "name": "Frobshop Ltd",
    "address": "1 High Street, Leeds LS1 1AA",
    "email": "privacy@frobshop.example",
}
# As docs/oscar.md, in memory: a test writes nothing to disk.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "jsg_privacy_exports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "jsg_privacy_ledger": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
JSG_PRIVACY_EXPORT_STORAGE = "jsg_privacy_exports"
JSG_PRIVACY_LEDGER_CHECKPOINT_STORAGE = "jsg_privacy_ledger"

# -- docs/oscar.md, step 4: production and CI -------------------------------------------------

JSG_PRIVACY_STRICT = True
# Test-only secrets; a real project reads them from its secret store.
JSG_PRIVACY_HASH_KEY = "tests-only-hash-key-not-secret"
JSG_PRIVACY_ENCRYPTION_KEYS = ["gO3mOfiurLs2fNsbiIXMoXZ9ePhZ61wrQHT8Ak2w-N0="]
JSG_PRIVACY_LEDGER_KEYS = ["tests-only-ledger-key-not-secret-0123456789"]
JSG_PRIVACY_ERASURE_JOURNAL = str(Path(tempfile.mkdtemp(prefix="jsg-oscar-")) / "erasures.jsonl")

# -- the test run -----------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "sqlite:///:memory:"), conn_max_age=0
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if django.VERSION >= (6, 1):  # Django 6.1 configures mail with MAILERS
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# -- the compliance kit (docs/compliance-kit.md) ----------------------------------------------

JSG_PRIVACY_KIT = {
    "pages": "tests_oscar.kit.pages",
    "discover": True,
    "checkout": "/checkout/",
    "before_checkout": "tests_oscar.kit.fill_basket",
    "sign_up": "/accounts/login/",  # Oscar's registration form is on its login page
    "subject": "tests_oscar.kit.make_customer",
    "setup": "tests_oscar.kit.make_catalogue",
    "exclude": ["/dashboard/"],  # staff pages
    "third_parties": {
        "ajax.googleapis.com": "Oscar's templates load jQuery from Google's CDN (no cookie is set); "
        "a shop that serves it itself removes this line.",
    },
}
