"""Marketing consent: one choice per channel, preferences, unsubscribe links and the suppression list.

Shops use :mod:`jsg_privacy.marketing.api` (``may_contact``, ``record_choices``, ``suppress``,
``unsubscribe_url``, ``add_unsubscribe_headers``) and :mod:`jsg_privacy.marketing.forms`
(``MarketingConsentMixin`` for their checkout and sign-up forms). See ``docs/marketing.md``.
"""
