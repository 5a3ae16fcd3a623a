"""jsg_privacy for django-oscar 4.x shops: add ``"jsg_privacy.contrib.oscar"`` to ``INSTALLED_APPS``.

It declares the personal data of every Oscar app that holds some (``privacy.py``, built from the
sources in :mod:`jsg_privacy.contrib.oscar.sources`), Oscar's cookies, a legal hold on orders for
the tax period, the cookie banner and "Your data" in Oscar's templates. See docs/oscar.md.
"""
