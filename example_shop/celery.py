"""The example shop's Celery app, for ``JSG_PRIVACY_TASK_RUNNER = "celery"``: exports and erasures.

Start a worker with ``celery -A example_shop worker``. The broker is ``CELERY_BROKER_URL`` from the
environment (default ``redis://127.0.0.1:6379/0``); other Celery settings can be given in the Django
settings with a ``CELERY_`` prefix (``CELERY_TASK_ACKS_LATE``…). The worker finds
``jsg_privacy.tasks`` through ``autodiscover_tasks()``, like any installed app's ``tasks.py``.
"""

import os

from celery import Celery

from jsg_privacy.retention.schedule import beat_schedule

DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/0"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_shop.settings")

app = Celery("example_shop", broker=os.environ.get("CELERY_BROKER_URL", DEFAULT_BROKER_URL))
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The daily retention run (privacy_enforce_retention), when a beat process runs: celery -A example_shop beat
app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **beat_schedule()}
# Celery's "current app" is per thread: without this, a task queued from a request thread
# (runserver, gunicorn's threads) would go to Celery's fallback app and its AMQP broker.
app.set_default()
