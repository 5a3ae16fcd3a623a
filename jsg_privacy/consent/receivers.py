"""Signal receivers of the consent layer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from jsg_privacy.consent import ledger, state
from jsg_privacy.consent.models import Action, Channel, ConsentRecord
from jsg_privacy.crypto import subjects


@receiver(user_logged_in, dispatch_uid="jsg_privacy.consent.link_visitor")
def link_visitor_to_account(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Link the anonymous visitor's consent records to the account they log in to (once)."""
    if request is None:
        return
    current = state.read(request)
    if not current.consent_id:
        return
    user_key = subjects.for_user(user)
    visitor_key = subjects.for_consent_id(current.consent_id)
    if ConsentRecord.objects.filter(subject_key=user_key, linked_key=visitor_key).exists():
        return
    ledger.append(
        subject_key=user_key,
        purpose="cookies",
        action=Action.LINKED,
        channel=Channel.LOGIN,
        linked_key=visitor_key,
    )
