"""Settings for the test suite: the example shop, on SQLite unless DATABASE_URL says otherwise."""

import os

import dj_database_url

from example_shop.settings import *  # noqa: F403

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "sqlite:///:memory:"), conn_max_age=0
    )
}

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # The consent ledger's checkpoints, emptied after each test (tests/conftest.py).
    "jsg_privacy_ledger": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp", "jsg_privacy.integrations.saleor"]  # noqa: F405

# The suite runs with DEBUG off, as Django runs tests, where jsg_privacy refuses the local Stripe
# stand-in and its public webhook secret (checks jsg_privacy.E017, E018). It pays through localstripe
# on purpose: "local_for_tests" is the test-only opt-in (`check --deploy` refuses it: E019), with a
# webhook secret of its own. The payment fixtures replace both with their localstripe's settings().
JSG_PRIVACY_STRIPE = {
    **JSG_PRIVACY_STRIPE,  # noqa: F405
    "local_for_tests": True,
    "webhook_secret": "whsec_tests_only_not_secret",
}
# Stripe only, by default: the PayPal and Opayo tests add theirs with their stand-ins' settings.
JSG_PRIVACY_PAYMENT_GATEWAYS = ["jsg_privacy.payments.gateways.stripe.StripeGateway"]
JSG_PRIVACY_PAYPAL = {"local_for_tests": True}
JSG_PRIVACY_OPAYO = {"local_for_tests": True}

# Secrets for the tests only; a real project reads them from its secret store. Fernet keys newest
# first (check jsg_privacy.E013); the key of subject keys and keyed-hash columns (E016).
JSG_PRIVACY_ENCRYPTION_KEYS = ["gO3mOfiurLs2fNsbiIXMoXZ9ePhZ61wrQHT8Ak2w-N0="]
JSG_PRIVACY_HASH_KEY = "tests-only-hash-key-not-secret"
JSG_PRIVACY_LEDGER_KEYS = ["tests-only-ledger-key-not-secret-0123456789"]
JSG_PRIVACY_LEDGER_CHECKPOINT_STORAGE = "jsg_privacy_ledger"

# The Saleor App's tests replace it with their local stand-in store's API URL.
JSG_PRIVACY_SALEOR_API_URLS = ["https://saleor.test.invalid/graphql/"]

# CI is where an incomplete inventory must fail: undeclared data is an error here, not a warning.
JSG_PRIVACY_STRICT = True

# The erasure journal of child processes a test starts (tests/conftest.py gives each test its own).
JSG_PRIVACY_ERASURE_JOURNAL = os.environ.get("JSG_TEST_ERASURE_JOURNAL", "")

# Usage events wait in the buffer until a test writes them (jsg_privacy.usage.buffer.flush()): no
# writer thread touches the test database behind a test's back.
JSG_PRIVACY_USAGE_FLUSH_SECONDS = 0
# Visitors count as outside the UK unless a test says otherwise, so the consent tests exercise
# opt-in for every group (as for EU visitors). The UK's Sch. A1 exceptions, under which the example
# shop's first-party analytics is on without a prompt, have their own tests
# (tests/jsg_privacy/consent/test_exceptions.py), which set JSG_PRIVACY_DEFAULT_COUNTRY = "GB".
JSG_PRIVACY_DEFAULT_COUNTRY = "FR"
