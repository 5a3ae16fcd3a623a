"""JSG Metering Solutions: a runnable example shop that uses jsg_privacy."""

# Load the shop's Celery app with Django, so tasks queued by the web process use its broker.
try:
    from example_shop.celery import app as celery_app
except ImportError:  # without the celery extra, jsg_privacy's tasks run inline
    celery_app = None

__all__ = ["celery_app"]
