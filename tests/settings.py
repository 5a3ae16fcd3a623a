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
}

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp", "jsg_privacy.integrations.saleor"]  # noqa: F405

# The suite pays through the local Stripe stand-in on purpose (check jsg_privacy.W004).
JSG_PRIVACY_STRIPE = {**JSG_PRIVACY_STRIPE, "local": True}  # noqa: F405

# Fernet keys for the tests only (newest first); a real project reads them from its secret store.
JSG_PRIVACY_ENCRYPTION_KEYS = ["gO3mOfiurLs2fNsbiIXMoXZ9ePhZ61wrQHT8Ak2w-N0="]

# The Saleor App's tests replace it with their local stand-in store's API URL.
JSG_PRIVACY_SALEOR_API_URLS = ["https://saleor.test.invalid/graphql/"]
