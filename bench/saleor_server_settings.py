"""Settings of the gunicorn process bench_saleor starts: bench.settings on the benchmark's database.

Everything that differs between the benchmark's servers comes from the environment it sets:
``BENCH_SQLITE_PATH`` (the benchmark process's SQLite file, which holds the installation),
``BENCH_INBOX_URL``/``BENCH_INBOX_PREFIX`` (the Redis inbox, or "" for a Celery task per delivery),
``CELERY_BROKER_URL`` and ``BENCH_CELERY_QUEUE`` (the run's own queue on the real Redis).
"""

import os

from bench.settings import *  # noqa: F403

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["BENCH_SQLITE_PATH"]}
}
ROOT_URLCONF = "bench.bench_saleor"
JSG_PRIVACY_SALEOR_API_URLS = [os.environ["BENCH_SALEOR_API_URL"]]
JSG_PRIVACY_TASK_RUNNER = "celery"
JSG_PRIVACY_SALEOR_INBOX_URL = os.environ["BENCH_INBOX_URL"]
JSG_PRIVACY_SALEOR_INBOX_PREFIX = os.environ["BENCH_INBOX_PREFIX"]
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["BENCH_CELERY_QUEUE"]
