"""The order confirmation e-mail: about the order (transactional), sent whatever marketing the
customer chose. It carries no offers; it says which offers the customer agreed to, and how to
change that."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from example_shop.orders.models import Order
from jsg_privacy.marketing import choices, unsubscribe, wording
from jsg_privacy.requests import identity

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Choice:
    label: str
    status: str  # "yes", "no" or "pending"
    text: str  # what that means, in a sentence


def marketing_choices(order: Order) -> list[Choice]:
    """The customer's current marketing choices, as the boxes at checkout named them."""
    user = order.user
    if user is not None:
        proven = identity.address_proven(user, order.email)
        person = choices.Person.of(user=user, email=order.email, proven=proven)
    else:
        person = choices.Person.of(email=order.email, proven=False)
    found = []
    for box in wording.boxes():
        latest = choices.current(person, box.purpose, box.medium)
        status = "no"
        if latest is not None and latest.granted:
            status = "yes"
        elif latest is not None and latest.pending:
            status = "pending"
        found.append(Choice(box.label, status, _meaning(box.name, status)))
    return found


def _meaning(box: str, status: str) -> str:
    if status == "pending":
        return _("not yet: they start once you confirm by the link we e-mailed you.")
    if box == wording.PARTNERS:
        if status == "yes":
            return _("yes, you agreed that we pass your details to them.")
        return _("no, we will not pass your details to them.")
    if box == wording.TESTIMONIAL:
        if status == "yes":
            return _("yes, you agreed that we may publish your feedback.")
        return _("no, we will not publish your feedback.")
    if status == "yes":
        return _("yes, you agreed to these.")
    return _("no, we will not send you these.")


def send_confirmation(order: Order, *, base_url: str) -> bool:
    """E-mail the order confirmation to the order's address; False (logged, without personal
    data) if the mail server refuses: the order stands and its page still shows everything."""
    made = marketing_choices(order)
    base = base_url.rstrip("/")
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "choices": made,
        "agreed_to_any": any(c.status != "no" for c in made),
        "order_url": base + order.get_absolute_url() if order.user_id else "",
        "preferences_url": base + reverse("jsg_privacy:marketing:preferences"),
        "stop_all_url": unsubscribe.unsubscribe_url(order.email, "all", base_url=base),
        "signed_in": order.user_id is not None,
    }
    subject = render_to_string("orders/email/confirmation_subject.txt", context)
    body = render_to_string("orders/email/confirmation.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [order.email])
    except Exception:
        logger.warning("The confirmation e-mail of order %s could not be sent.", order.reference)
        return False
    return True
