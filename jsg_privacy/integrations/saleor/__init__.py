"""jsg_privacy as a Saleor App: manifest, registration, signed webhooks, and Saleor as a remote source.

Add ``"jsg_privacy.integrations.saleor"`` to ``INSTALLED_APPS`` after ``"jsg_privacy"``, include
``jsg_privacy.integrations.saleor.urls`` and allow the store's API URL in
``JSG_PRIVACY_SALEOR_API_URLS``; ``docs/saleor.md`` walks through installing it into a store.
"""
