"""Integrations with other systems, each a Django app of its own (``jsg_privacy.integrations.saleor``)."""
