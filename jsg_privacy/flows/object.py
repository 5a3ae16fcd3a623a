"""Objections (UK GDPR Art. 21): what stops at once, and what an objection can be made to.

To direct marketing an objection is absolute and takes effect at once (Art. 21(2)-(3)):
:func:`stop_marketing` suppresses every medium and withdraws every marketing consent, with no
identity check and no decision — stopping marketing can harm nobody. To other processing (on
legitimate interests or a public task, Art. 21(1)) it waits for a decision; the requests layer
(:mod:`jsg_privacy.requests.objection`) records it on a case and records the decision.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from jsg_privacy.consent.models import Channel as LedgerChannel
from jsg_privacy.flows import Refused
from jsg_privacy.inventory import MARKETING_CONSENT, PARTNER_MARKETING
from jsg_privacy.marketing import api as marketing
from jsg_privacy.marketing import wording
from jsg_privacy.registry import Basis, Subject, registry

#: Purposes an objection stops at once, with no decision to make.
MARKETING_PURPOSES = (MARKETING_CONSENT, PARTNER_MARKETING)
#: Art. 21(1): the bases an objection to other processing applies to.
OBJECTABLE_BASES = (Basis.LEGITIMATE_INTERESTS, Basis.PUBLIC_TASK)


def objectable_purposes() -> list[tuple[str, str]]:
    """``(key, label)`` of the registry's purposes an Art. 21(1) objection can be made to."""
    return [
        (key, str(purpose.label))
        for key, purpose in registry.purposes.items()
        if purpose.basis in OBJECTABLE_BASES
    ]


def stop_marketing(subject: Subject, *, channel: str = LedgerChannel.STAFF) -> bool:
    """Stop all direct marketing to ``subject`` now, on every medium and by partners (the
    caller's transaction).

    Every withdrawal goes to the consent ledger (with ``channel``) and the address onto the
    suppression list, which survives erasure. True if anything changed (a second objection changes
    nothing).
    """
    user = None
    if subject.user_id is not None:
        user = get_user_model()._default_manager.filter(pk=subject.user_id).first()
    email = subject.email or str(getattr(user, "email", "") or "")
    if not email:
        raise Refused(_("An objection to marketing needs the person's e-mail address."))
    changed = marketing.suppress(email, wording.ALL, channel=channel)
    if user is not None:
        # Choices recorded under the account with another address than this one.
        boxes = dict.fromkeys(wording.media(), False) | {wording.PARTNERS: False}
        outcome = marketing.record_choices(
            boxes, channel=channel, user=user, email=email, unticked_withdraws=True
        )
        changed = changed or outcome.changed
    return changed
