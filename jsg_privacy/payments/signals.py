"""Signals of the payments layer, for observers only (the adapter is where a shop acts).

- ``payment_succeeded(sender=Payment, payment)``: sent once per payment, after the adapter's
  ``mark_paid`` in the same transaction.
- ``payment_refunded(sender=Payment, payment)``: sent after a refund succeeded at the provider.
"""

from django.dispatch import Signal

payment_succeeded = Signal()
payment_refunded = Signal()
