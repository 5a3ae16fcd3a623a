"""Settings for the example shop.

Works with no environment variables at all: SQLite at ``<repo>/db.sqlite3``, e-mails to the
console, DEBUG on, demo secrets. With DEBUG off there is no demo secret: every one comes from the
environment, and ``manage.py check`` refuses to start without it. Override with:

- ``DATABASE_URL``          e.g. ``postgres://user@127.0.0.1:5432/shop`` (read by dj-database-url)
- ``DJANGO_DEBUG``          ``0``/``false`` to turn DEBUG off
- ``DJANGO_SECRET_KEY``     required with DEBUG off
- ``DJANGO_ALLOWED_HOSTS``  comma-separated extra host names
- ``JSG_PRIVACY_ENCRYPTION_KEYS``  comma-separated Fernet keys, newest first (required with DEBUG off)
- ``JSG_PRIVACY_HASH_KEY``  the key of the keyed hashes (required with DEBUG off)
- ``JSG_PRIVACY_LEDGER_KEYS``  comma-separated keys of the consent ledger, newest first (required
  with DEBUG off)
- ``PAYPAL_CLIENT_ID``, ``PAYPAL_CLIENT_SECRET``, ``PAYPAL_WEBHOOK_ID`` (required with DEBUG off),
  ``PAYPAL_API_BASE``
- ``OPAYO_VENDOR_NAME``, ``OPAYO_INTEGRATION_KEY``, ``OPAYO_INTEGRATION_PASSWORD`` (required with
  DEBUG off), ``OPAYO_API_BASE``
- ``STRIPE_SECRET_KEY``, ``STRIPE_PUBLISHABLE_KEY``, ``STRIPE_WEBHOOK_SECRET`` (required with
  DEBUG off), ``STRIPE_API_BASE``, ``STRIPE_JS_URL``
"""

import os
from pathlib import Path

import dj_database_url
import django

BASE_DIR = Path(__file__).resolve().parent.parent
SHOP_DIR = BASE_DIR / "example_shop"

DEBUG = os.environ.get("DJANGO_DEBUG", "true").lower() in {"1", "true", "yes", "on"}
# The demo's key is public, so it is used only with DEBUG on; with DEBUG off and no
# DJANGO_SECRET_KEY, Django refuses to sign anything ("The SECRET_KEY setting must not be empty").
DEMO_SECRET_KEY = "django-insecure-demo-only-do-not-use-in-production-6f1c0e9b7d2a"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (DEMO_SECRET_KEY if DEBUG else "")

ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS += [
    host.strip() for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cookie_consent",
    "jsg_privacy",
    "example_shop.catalogue",
    "example_shop.cart",
    "example_shop.orders",
    "example_shop.accounts",
    "example_shop.enquiries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses any request carrying a card number or CVV before a session, view or database sees it.
    "jsg_privacy.payments.guard.CardDataGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The visitor's language: the language cookie (set by the switcher), else Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Honours Global Privacy Control and deletes cookies of groups nobody consented to.
    "jsg_privacy.consent.middleware.ConsentMiddleware",
    "jsg_privacy.usage.middleware.UsageMiddleware",
]

ROOT_URLCONF = "example_shop.urls"
WSGI_APPLICATION = "example_shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SHOP_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "example_shop.cart.context_processors.cart",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "catalogue:home"

LANGUAGE_CODE = "en-gb"
# The languages the shop offers (docs/languages.md): jsg_privacy ships Welsh and French catalogues,
# the shop its own (example_shop/locale/). A string missing in a catalogue shows in English.
LANGUAGES = [
    ("en-gb", "English"),
    ("cy", "Cymraeg"),
    ("fr", "Français"),
]
LOCALE_PATHS = [SHOP_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [SHOP_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded and generated files, e.g. data exports (deleted when their download link expires).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# E-mails are kept as files in a local outbox, one .log file per sending (var/outbox/, or
# DJANGO_EMAIL_OUTBOX): the demo's customers' acknowledgements, links and codes are read there.
# Django 6.1 configures mail with MAILERS (EMAIL_BACKEND is deprecated).
EMAIL_OUTBOX = Path(os.environ.get("DJANGO_EMAIL_OUTBOX", BASE_DIR / "var" / "outbox"))
if django.VERSION >= (6, 1):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(EMAIL_OUTBOX)},
        }
    }
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(EMAIL_OUTBOX)
DEFAULT_FROM_EMAIL = "JSG Metering Solutions <sales@jsgsolutions.example>"

X_FRAME_OPTIONS = "DENY"

# Every log line goes through jsg_privacy's card-number mask; Django's own loggers (the runserver
# request lines too) are sent to this console instead of their unmasked handlers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_card_numbers": {"()": "jsg_privacy.payments.log_filter.CardNumberMaskingFilter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_card_numbers"]},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# jsg_privacy: the facts the privacy notice and the Art. 30 record state about the shop.
# The shop's own declarations of personal data live in each app's privacy.py.
JSG_PRIVACY_ROLE = "controller"
JSG_PRIVACY_CONTROLLER = {
    "name": "JSG Metering Solutions Ltd",
    "address": "Unit 4, Cranes Farm Road, Basildon, Essex SS14 3JA",
    "email": "privacy@jsgsolutions.example",
    "phone": "01268 773766",
    "website": "https://www.jsgsolutions.co.uk",
    "ico_registration": "ZA000000 (demo)",
    "privacy_manager": {"name": "Veronica Lawless", "email": "privacy@jsgsolutions.example"},
}

# jsg_privacy's optional marketing boxes (seed 000): passing contact details to partners for their
# own marketing (§1.5; the checkout's separate box, the partners declared in orders/privacy.py) and
# publishing testimonials (§2.4.1; a box on the marketing preferences page). Both are off by default;
# the privacy notice mentions each only while it is on. Usage logging is on through
# jsg_privacy.usage.middleware.UsageMiddleware in MIDDLEWARE above.
JSG_PRIVACY_MARKETING_PARTNERS = True
JSG_PRIVACY_MARKETING_TESTIMONIALS = True
# The marketing preferences page switches a medium on only if the account has its contact detail.
JSG_PRIVACY_MARKETING_CONTACT = "example_shop.accounts.contact.marketing_contact"

# jsg_privacy encrypts phones, addresses, notes and e-mail addresses at rest (docs/encryption.md).
# Fernet keys, newest first, comma-separated. Unset (the local demo), a key is derived from
# SECRET_KEY and check jsg_privacy.W005 says so; with DEBUG off, check jsg_privacy.E013 refuses it.
JSG_PRIVACY_ENCRYPTION_KEYS = os.environ.get("JSG_PRIVACY_ENCRYPTION_KEYS", "")
# The key of the keyed hashes that stand for people in the consent ledger, the suppression list and
# the e-mail lookup columns. Unset (the local demo): derived from SECRET_KEY (W006); with DEBUG off,
# check jsg_privacy.E016 refuses to start.
JSG_PRIVACY_HASH_KEY = os.environ.get("JSG_PRIVACY_HASH_KEY", "")
# The keys that sign the consent ledger and its checkpoints, newest first, comma-separated. Unset
# (the local demo): a public demo key (W035); with DEBUG off, check jsg_privacy.E035 refuses to start.
# Checkpoints go to the default storage, under MEDIA_ROOT: outside the database.
JSG_PRIVACY_LEDGER_KEYS = os.environ.get("JSG_PRIVACY_LEDGER_KEYS", "")

# jsg_privacy payments: card payments by token through Stripe. With no STRIPE_SECRET_KEY and DEBUG on
# the local stand-in is used (localstripe on 127.0.0.1:8420, started by `make demo`; STRIPE_API_BASE
# moves it). For real Stripe (test or live), set STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and
# STRIPE_WEBHOOK_SECRET; the API and Stripe.js then come from Stripe. With DEBUG off they are required
# (checks jsg_privacy.E017, E018). See docs/payments.md.
# Naming the adapter switches jsg_privacy's payments on: the payment records and the disclosure log
# are then declared, and the notice says what Stripe receives.
JSG_PRIVACY_PAYMENT_ADAPTER = "example_shop.orders.payments.OrderPaymentAdapter"
JSG_PRIVACY_PAYMENT_GATEWAYS = [
    "jsg_privacy.payments.gateways.stripe.StripeGateway",  # cards; the default
    "jsg_privacy.payments.gateways.paypal.PayPalGateway",
    "jsg_privacy.payments.gateways.opayo.OpayoGateway",
]
# PayPal: with no PAYPAL_CLIENT_SECRET and DEBUG on, the local PayPal stand-in (127.0.0.1:8430, started
# by `make demo`); with DEBUG off, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID are
# required (checks jsg_privacy.E066, E067). PAYPAL_API_BASE: https://api-m.sandbox.paypal.com for the
# sandbox.
JSG_PRIVACY_PAYPAL = {
    "client_id": os.environ.get("PAYPAL_CLIENT_ID", ""),
    "client_secret": os.environ.get("PAYPAL_CLIENT_SECRET", ""),
    "webhook_id": os.environ.get("PAYPAL_WEBHOOK_ID", ""),
    "api_base": os.environ.get("PAYPAL_API_BASE", ""),
}
# Opayo Pi: with no OPAYO_INTEGRATION_PASSWORD and DEBUG on, the local Opayo stand-in (127.0.0.1:8440,
# started by `make demo`); with DEBUG off, OPAYO_VENDOR_NAME, OPAYO_INTEGRATION_KEY and
# OPAYO_INTEGRATION_PASSWORD are required (check jsg_privacy.E069). OPAYO_API_BASE:
# https://sandbox.opayo.eu.elavon.com/api/v1 for the sandbox.
JSG_PRIVACY_OPAYO = {
    "vendor_name": os.environ.get("OPAYO_VENDOR_NAME", ""),
    "integration_key": os.environ.get("OPAYO_INTEGRATION_KEY", ""),
    "integration_password": os.environ.get("OPAYO_INTEGRATION_PASSWORD", ""),
    "api_base": os.environ.get("OPAYO_API_BASE", ""),
}
JSG_PRIVACY_STRIPE = {
    "secret_key": os.environ.get("STRIPE_SECRET_KEY", ""),
    "publishable_key": os.environ.get("STRIPE_PUBLISHABLE_KEY", ""),
    "webhook_secret": os.environ.get("STRIPE_WEBHOOK_SECRET", ""),
    "api_base": os.environ.get("STRIPE_API_BASE", ""),
    "js_url": os.environ.get("STRIPE_JS_URL", ""),
}
# Installation forms ask for the MPAN, whose 13-digit core can pass the card numbers' Luhn test: the
# card-data guard lets it through when its own check digit is right.
JSG_PRIVACY_CARD_GUARD_EXEMPT_FIELDS = {"mpan": "jsg_privacy.payments.guard.is_mpan"}

# jsg_privacy's compliance kit: `manage.py privacy_audit` and `pytest --privacy-kit` check these
# pages (and the URLconf's own) against the rules of docs/compliance-kit.md.
JSG_PRIVACY_KIT = {
    "pages": "example_shop.kit.pages",
    "discover": True,
    "checkout": "/checkout/",
    "before_checkout": "example_shop.kit.fill_basket",
    "sign_up": "/account/sign-up/",
    "subject": "example_shop.kit.make_customer",
    "setup": "example_shop.kit.make_catalogue",
}
