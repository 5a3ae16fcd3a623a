"""The compliance kit: jsg_privacy's rules run against a shop's own pages, forms and data.

- :mod:`~jsg_privacy.testing.plugin`: the pytest plugin (``pytest --privacy-kit``);
- ``manage.py privacy_audit``: the same rules, with an HTML and a JSON report;
- :mod:`~jsg_privacy.testing.rules`: the rules, each with the law or guidance it comes from;
- :mod:`~jsg_privacy.testing.audit`: what runs them (test client, HTTP, chromium).

Needs the ``testing`` extra: ``pip install "jsg-privacy[testing]"``. See docs/compliance-kit.md.
"""
