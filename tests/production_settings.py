"""The example shop as deployed by someone who set no secrets: DEBUG off, nothing in the environment.

``tests/jsg_privacy/security/test_missing_secrets.py`` runs ``manage.py check --deploy`` with these
settings (and ``DJANGO_DEBUG=false``, no ``DJANGO_SECRET_KEY``, ``STRIPE_*`` or ``JSG_PRIVACY_*`` in
the environment) and expects it to refuse. A throwaway database: the checks need none.
"""

from example_shop.settings import *  # noqa: F403

DEBUG = False
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
