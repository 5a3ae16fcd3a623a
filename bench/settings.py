"""Benchmark settings: the example shop as deployed (DEBUG off), on a throwaway SQLite file.

bench_ledger measures concurrent writers, which SQLite cannot have: it runs in a process of its own
with ``JSG_BENCH_POSTGRES=1``, on the dedicated PostgreSQL database ``BENCH_DATABASE_URL``.
"""

import os
import tempfile

import dj_database_url

from example_shop.settings import *  # noqa: F403

DEBUG = False
# With DEBUG off jsg_privacy derives no key from SECRET_KEY (checks E013, E016): benchmark-only
# secrets, like the test suite's; a real deployment reads its own from the environment.
SECRET_KEY = "bench-only-not-secret"  # noqa: S105
JSG_PRIVACY_ENCRYPTION_KEYS = ["pcRQaXD6WYe2wSnBhgQqBO5Ue8kP0S6MzvLz8c4gPzc="]
JSG_PRIVACY_HASH_KEY = "bench-only-hash-key-not-secret"
JSG_PRIVACY_LEDGER_KEYS = ["bench-only-ledger-key-not-secret-0123456789"]
# The ledger's checkpoints: a folder of this run's own (bench_ledger takes the first one, which
# verifies the whole ledger, before it measures).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "jsg_privacy_ledger": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="jsg-bench-ledger-")},
    },
}
JSG_PRIVACY_LEDGER_CHECKPOINT_STORAGE = "jsg_privacy_ledger"
ROOT_URLCONF = "bench.urls"
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jsg_bench"
)
if os.environ.get("JSG_BENCH_POSTGRES") == "1":
    DATABASES = {"default": dj_database_url.parse(BENCH_DATABASE_URL, conn_max_age=0)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(tempfile.mkdtemp(prefix="jsg-bench-"), "bench.sqlite3"),
        }
    }
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# bench_saleor: the Saleor App's tables (its URLs are mounted by the benchmark itself).
INSTALLED_APPS = [*INSTALLED_APPS, "jsg_privacy.integrations.saleor"]  # noqa: F405
