"""The payment gateways a shop offers, configured as a list and found by name.

``JSG_PRIVACY_PAYMENT_GATEWAYS`` lists dotted paths of :class:`~jsg_privacy.payments.base.Gateway`
subclasses, the shop's default first. Each payment stores the :attr:`Gateway.name` it was made with,
and everything done to it later — confirming it, refunding it, deleting the customer at the
provider on erasure — asks :func:`get` for the gateway of *that* name, not for the default: a shop
that switches its default gateway still refunds and erases its old payments, as long as the old
gateway stays in the list. A payment whose gateway was removed raises :class:`GatewayRemoved`
(naming what to put back), and check ``jsg_privacy.E062`` says so at start-up.

Each gateway lives in its own module here with its settings, checks and test double
(``gateways/stripe/``, ``gateways/paypal/``, ``gateways/opayo/``, ``gateways/dummy.py``); this
package knows none of them by name.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from jsg_privacy.conf import app_settings
from jsg_privacy.payments.base import Gateway, PaymentError

#: The settings of the gateways that ship with jsg_privacy (``JSG_PRIVACY_STRIPE``…): each gateway
#: declares and checks its own, so check ``jsg_privacy.W001`` leaves them alone.
BUILT_IN_SETTINGS = ("STRIPE", "PAYPAL", "OPAYO", "DUMMY_GATEWAY")


class GatewayRemoved(PaymentError):
    """A payment was made with a gateway that is no longer in ``JSG_PRIVACY_PAYMENT_GATEWAYS``."""


def load(path: str) -> type[Gateway]:
    """The gateway class at ``path``; :class:`ImportError` or :class:`TypeError` if it is not one."""
    gateway_class = import_string(path)
    if not (isinstance(gateway_class, type) and issubclass(gateway_class, Gateway)):
        raise TypeError(f"{path} is not a jsg_privacy.payments.base.Gateway subclass.")
    return gateway_class


def paths() -> list[str]:
    """``JSG_PRIVACY_PAYMENT_GATEWAYS`` as a list (a single string counts as one)."""
    value = app_settings.PAYMENT_GATEWAYS
    return [value] if isinstance(value, str) else list(value)


def configured() -> dict[str, type[Gateway]]:
    """The configured gateway classes by name, the default first."""
    return {gateway_class.name: gateway_class for gateway_class in map(load, paths())}


def names() -> list[str]:
    return list(configured())


def all_gateways() -> list[Gateway]:
    """One instance of each configured gateway, in the shop's order: what the pay page offers."""
    return [gateway_class() for gateway_class in configured().values()]


def get(name: str) -> Gateway:
    """The configured gateway called ``name`` (the one stored on a payment)."""
    gateway_class = configured().get(name)
    if gateway_class is None:
        raise GatewayRemoved(
            f"The payment gateway {name!r} is not in JSG_PRIVACY_PAYMENT_GATEWAYS: payments made "
            "with it cannot be confirmed, refunded or erased at the provider. Put it back in the "
            "list (it need not be first)."
        )
    return gateway_class()


def default() -> Gateway:
    """The shop's default gateway: the first in the list."""
    found = configured()
    if not found:
        raise GatewayRemoved("JSG_PRIVACY_PAYMENT_GATEWAYS is empty: no payment can be taken.")
    return next(iter(found.values()))()
