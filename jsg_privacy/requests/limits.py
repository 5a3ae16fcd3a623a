"""Moved to :mod:`jsg_privacy.flows.models` (below marketing, retention and payments, which ask
whether a subject is restricted); these names stay importable from here."""

from jsg_privacy.flows.models import Objection, Restriction, RestrictionQuerySet

__all__ = ["Objection", "Restriction", "RestrictionQuerySet"]
