"""Consent: cookie groups built on django-cookie-consent, GPC, Consent Mode, and the consent ledger.

Purposes whose basis is consent (in the registry) become the choices people make here; every choice
is appended to the ledger, a hash chain that proves who chose what, when, and which text they saw.
"""
