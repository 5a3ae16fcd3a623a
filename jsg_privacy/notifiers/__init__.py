"""Notifiers tell a recipient what happened to a subject's data (UK GDPR Art. 19).

When a subject's data is erased, corrected or restricted (or a restriction is lifted), every
declared recipient that received their data is told, each through its own notifier:

- :class:`~jsg_privacy.notifiers.email.EmailNotifier` (the default,
  ``JSG_PRIVACY_RECIPIENT_NOTIFIER``) e-mails the recipient's declared ``contact``;
- :class:`jsg_privacy.payments.notifier.StripeNotifier` deletes the subject's customers at Stripe;
- :class:`jsg_privacy.integrations.saleor.notifier.SaleorNotifier` re-writes a customer's marketing
  flags in Saleor when processing is restricted or the restriction lifted.

Who received a subject's data is decided by :class:`~jsg_privacy.notifiers.received.Footprint`
from what the shop declares and logs. The requests layer records each notice on the request's case,
sends it after the change commits and retries it until it succeeds
(:mod:`jsg_privacy.requests.recipients`).
"""

from jsg_privacy.notifiers.base import Event, Notice, Notifier, NotifierError, notifier_for
from jsg_privacy.notifiers.received import Footprint

__all__ = ["Event", "Footprint", "Notice", "Notifier", "NotifierError", "notifier_for"]
