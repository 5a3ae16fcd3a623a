"""jsg_privacy's own personal data, declared like any app's: what the notice and exports say of it.

Declared here: what every shop using jsg_privacy holds (requests, restrictions, objections, address
confirmations, the staff access log). The tables of optional features are declared by the feature
while the shop has it switched on (:mod:`jsg_privacy.features`): payments and the disclosure log
(``payments/sources.py``), usage logging (``usage/sources.py``).
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.audit.models import StaffAccess
from jsg_privacy.crypto import subjects
from jsg_privacy.flows.models import Objection, Restriction
from jsg_privacy.requests.models import AddressProof, Case, Clarification, Letter
from jsg_privacy.requests.notices import RecipientNotice

SIX_YEARS = privacy.Period(years=6)
PROOF = _("proof of how and when we answered your request, for complaints and legal claims")
#: What the records of a request are for: answering it (a legal obligation), then proving we did.
REQUEST_PURPOSES = (inventory.RIGHTS_REQUESTS, inventory.LEGAL_CLAIMS)


def held_as_proof(
    anchor: str,
    anchor_label: Any,
    keep: Sequence[str],
    *,
    period: privacy.Period = SIX_YEARS,
    reason: Any = PROOF,
) -> tuple[privacy.Retention, privacy.LegalHold]:
    """The retention rule and the erasure of records kept as proof: ``period`` from ``anchor``,
    kept (``keep``) through an erasure until then, and deleted after."""
    retention = privacy.Retention(
        anchor=anchor, period=period, anchor_label=anchor_label, reason=reason
    )
    hold = privacy.LegalHold(
        anchor=anchor,
        period=period,
        reason=reason,
        keep=tuple(keep),
        then=privacy.Delete(),
        anchor_label=anchor_label,
    )
    return retention, hold


CASE_FIELDS = (
    "email",
    "details",
    "received_at",
    "identity_check",
    "email_confirmed_at",
    "extension_reason",
    "language",  # the language they wrote in: their letters are in it
)


@privacy.register(Case)
class CaseSource(privacy.ModelSource):
    label = _("Your requests about your data")
    notice_labels = {
        "email": _("your e-mail address"),
        "details": _("what you asked"),
        "received_at": _("when we received it"),
        "identity_check": _("how we checked who you are"),
        "email_confirmed_at": _("when you confirmed your e-mail address"),
        "extension_reason": _("why we needed more time"),
    }
    subject = "user"
    subject_email = "email"
    data_subjects = "people exercising their data-protection rights"
    purposes = REQUEST_PURPOSES
    fields = {inventory.CORRESPONDENCE: list(CASE_FIELDS)}
    # How the request is being handled: its number, kind, state, dates and the counts it produced.
    not_personal = [
        "reference",
        "kind",
        "status",
        "channel",
        "verified_at",
        "clock_started_at",
        "due_on",
        "paused_days",
        "paused_since",
        "extended_until",
        "completed_at",
        "acknowledged_at",
        "outcome",
        "failure_reason",
        "verification_nonce",
    ]
    # An erasure request must not erase its own record: the record proves the erasure was done.
    retention, erasure = held_as_proof(
        "received_at", _("after we receive your request"), CASE_FIELDS
    )


# Restrictions (Art. 18) and objections (Art. 21) made through a request: proof, like the case.
@privacy.register(Restriction)
class RestrictionSource(privacy.ModelSource):
    label = _("Restrictions of the use of your data")
    notice_labels = {
        "email_key": _("a coded form of your e-mail address"),
        "reason": _("why we limited the use of your data"),
        "created_at": _("when"),
        "lift_notified_at": _("when we told you the limit would end"),
        "lifted_at": _("when it ended"),
        "lift_reason": _("why it ended"),
    }
    subject = "user"
    subject_email = "case__email"
    data_subjects = "people exercising their data-protection rights"
    purposes = REQUEST_PURPOSES
    fields = {
        inventory.CORRESPONDENCE: [
            "email_key",
            "reason",
            "created_at",
            "lift_notified_at",
            "lifted_at",
            "lift_reason",
        ]
    }
    export = ["reason", "created_at", "lift_notified_at", "lifted_at", "lift_reason"]
    # Kept by the keyed address after erasure: what the law makes us keep stays restricted.
    retention, erasure = held_as_proof(
        "created_at",
        _("after the restriction is made"),
        ("email_key", "reason", "created_at", "lift_notified_at", "lifted_at", "lift_reason"),
    )


@privacy.register(Objection)
class ObjectionSource(privacy.ModelSource):
    label = _("Your objections to uses of your data")
    notice_labels = {
        "purpose": _("what you objected to"),
        "grounds": _("your reasons"),
        "recorded_at": _("when"),
        "upheld": _("whether we agreed"),
        "decision_reason": _("why"),
        "decided_at": _("when we decided"),
    }
    subject = "case__user"
    subject_email = "case__email"
    data_subjects = "people exercising their data-protection rights"
    purposes = REQUEST_PURPOSES
    fields = {
        inventory.CORRESPONDENCE: [
            "purpose",
            "grounds",
            "recorded_at",
            "upheld",
            "decision_reason",
            "decided_at",
        ]
    }
    retention, erasure = held_as_proof(
        "recorded_at",
        _("after we receive your objection"),
        ("purpose", "grounds", "recorded_at", "upheld", "decision_reason", "decided_at"),
    )


CLARIFICATION_FIELDS = ("question", "asked_at", "answer", "answered_at", "answered_how")


# Questions we asked a requester about their request, and their answers (Art. 12A): proof, like
# the request, of why the clock was paused.
@privacy.register(Clarification)
class ClarificationSource(privacy.ModelSource):
    label = _("Our questions about your requests, and your answers")
    notice_labels = {
        "question": _("our question and why we asked it"),
        "asked_at": _("when we asked"),
        "answer": _("your answer"),
        "answered_at": _("when you answered"),
        "answered_how": _("how you answered"),
    }
    subject = "case__user"
    subject_email = "case__email"
    data_subjects = "people exercising their data-protection rights"
    purposes = REQUEST_PURPOSES
    fields = {inventory.CORRESPONDENCE: list(CLARIFICATION_FIELDS)}
    not_personal = ["days_paused", "link_nonce"]
    # Goes with its request: kept, and then deleted, on the request's own dates.
    retention, erasure = held_as_proof(
        "case__received_at", _("after we receive your request"), CLARIFICATION_FIELDS
    )


LETTER_FIELDS = ("kind", "sent_at", "subject", "body")


# What we wrote to a complainant (s.164A: acknowledged, kept informed, told the outcome): proof,
# like the complaint, and kept with it.
@privacy.register(Letter)
class LetterSource(privacy.ModelSource):
    label = _("Our letters about your complaints")
    notice_labels = {
        "kind": _("what the letter was about"),
        "sent_at": _("when we sent it"),
        "subject": _("its subject line"),
        "body": _("its text"),
    }
    subject = "case__user"
    subject_email = "case__email"
    data_subjects = "people who complained to us"
    purposes = REQUEST_PURPOSES
    fields = {inventory.CORRESPONDENCE: list(LETTER_FIELDS)}
    not_personal = ["sent_by"]
    retention, erasure = held_as_proof(
        "case__received_at", _("after we receive your complaint"), LETTER_FIELDS
    )


# A proof that an account holder receives mail at their address: it decides whether records found
# only by the address (a guest order) are theirs. Addresses change hands, so it is asked for again.
@privacy.register(AddressProof)
class AddressProofSource(privacy.ModelSource):
    label = _("Confirmation of your e-mail address")
    notice_labels = {
        "email_key": _("a coded form of your e-mail address"),
        "proved_at": _("when you confirmed it"),
        "how": _("how you confirmed it"),
    }
    subject = "user"
    data_subjects = "customers"
    purposes = (inventory.RIGHTS_REQUESTS, inventory.SECURITY)
    fields = {inventory.ACCOUNT: ["email_key", "proved_at", "how"]}
    export = ["proved_at", "how"]
    retention = privacy.Retention(
        anchor="proved_at",
        period=privacy.Period(years=2),
        anchor_label=_("after you confirm your address"),
        reason=_("An address can change hands: after two years we ask you to confirm it again."),
    )
    erasure = privacy.Delete()


NOTICE_FIELDS = ("recipient", "event", "status", "sent_at", "email", "subject_key", "references")


# Art. 19: whom we told of an erasure, correction or restriction — proof, like the request. Until a
# notice is sent it keeps the address and the ids its notifier needs (a retry after erasure).
@privacy.register(RecipientNotice)
class RecipientNoticeSource(privacy.ModelSource):
    label = _("Whom we told of your erasure, correction or restriction")
    notice_labels = {
        "recipient": _("whom we told"),
        "event": _("what we told them"),
        "status": _("whether it was sent"),
        "sent_at": _("when"),
        "email": _("your e-mail address"),
        "subject_key": _("a coded form of your e-mail address"),
        "references": _("their reference for you"),
    }
    subject = "case__user"
    subject_email = "case__email"
    data_subjects = "people exercising their data-protection rights"
    purposes = REQUEST_PURPOSES
    fields = {inventory.CORRESPONDENCE: list(NOTICE_FIELDS)}
    not_personal = [
        "restriction",
        "attempts",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "result",
        "error",
        "fields",
    ]
    export = ["recipient", "event", "status", "sent_at"]
    # Kept as it is: proof that recipients were told, and what a notice still to be sent needs.
    retention, erasure = held_as_proof(
        "created_at", _("after we tell the recipient"), NOTICE_FIELDS
    )

    def subject_filter(self, subject: privacy.Subject) -> Q:
        """The notices of the subject's requests, and of restrictions made without a request."""
        found = super().subject_filter(subject)
        if subject.user_id is not None:
            found |= Q(case__isnull=True, restriction__user_id=subject.user_id)
        if subject.email:
            keys = subjects.email_keys(subject.email)
            found |= Q(case__isnull=True, restriction__email_key__in=keys)
        return found


TWO_YEARS = privacy.Period(years=2)
ACCOUNTABILITY = _("accountability: who looked at customers' data, for complaints and breaches")
LOGGED = ("at", "action", "model", "object_id", "fields", "context")


@privacy.register(StaffAccess)
class StaffAccessSource(privacy.ModelSource):
    label = _("Your access to customers' data (staff)")
    notice_labels = {
        "at": _("when"),
        "action": _("whether they viewed or exported it"),
        "model": _("which kind of record"),
        "object_id": "",  # an internal record number: it tells a reader nothing
        "fields": _("which details"),
        "context": _("on which page"),
    }
    subject = "staff"  # the staff member is this row's data subject
    data_subjects = "staff"
    purposes = (inventory.SECURITY,)  # accountability, never analytics
    origins = (privacy.Origin.AUTOMATIC,)
    fields = {inventory.USAGE: list(LOGGED)}
    not_personal = ["subject_key"]  # a keyed hash of the customer
    retention, erasure = held_as_proof(
        "at", _("after the access"), LOGGED, period=TWO_YEARS, reason=ACCOUNTABILITY
    )


privacy.exempt(
    "jsg_privacy.CaseEvent",
    reason="The audit trail names the staff member who acted on a request, not the requester.",
)


privacy.exempt(
    "jsg_privacy.ExportFile",
    reason="Where a requester's export ZIP is stored until its link expires: the file is deleted "
    "then, or at once when the requester is erased.",
)


privacy.exempt(
    "jsg_privacy.ErasureRecord",
    fields=["email_key"],
    reason="A keyed hash, not an address: kept so an erasure can be re-applied after a restore.",
)
