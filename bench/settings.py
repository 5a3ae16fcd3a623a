"""Benchmark settings: the example shop as deployed (DEBUG off), on a throwaway SQLite file."""

import os
import tempfile

from example_shop.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
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
