"""Apply a visitor's cookie choices: the signed cookie, the ledger, and removal of refused cookies."""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.http import HttpRequest, HttpResponseBase

from jsg_privacy.consent import groups, ledger, state
from jsg_privacy.consent.models import Action, Channel, ConsentRecord
from jsg_privacy.consent.state import ConsentState
from jsg_privacy.crypto import subjects


def subject_key(request: HttpRequest, current: ConsentState) -> str:
    """The user's key when logged in; otherwise the anonymous visitor's (linked at log-in)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return subjects.for_user(user)
    return subjects.for_consent_id(current.consent_id)


def record_gpc(request: HttpRequest, current: ConsentState) -> None:
    """Record that a GPC signal refused the marketing groups for the visitor of ``current``.

    A purpose whose newest record for this subject is already a GPC signal gets no second one: a
    replayed cookie, or a client that drops the cookie a signed-in customer's signal set, adds
    nothing (one indexed query per purpose)."""
    key = subject_key(request, current)
    known = groups.by_key()
    targets = [key_ for key_ in known if key_ in groups.GPC_PURPOSES] or ["marketing"]
    for purpose in targets:
        newest = (
            ConsentRecord.objects.filter(subject_key=key, purpose=purpose)
            .order_by("-id")
            .values_list("action", "channel")
            .first()
        )
        if newest == (Action.SIGNAL, Channel.GPC):
            continue
        ledger.append(
            subject_key=key,
            purpose=purpose,
            action=Action.SIGNAL,
            channel=Channel.GPC,
            version=known[purpose].version if purpose in known else "",
        )


def apply(
    request: HttpRequest,
    response: HttpResponseBase,
    changes: dict[str, bool],
    *,
    channel: str,
    gpc: bool | None = None,
) -> ConsentState:
    """Record ``changes`` ({group key: accepted}) in the ledger and the cookie; return the new state."""
    before = state.read(request)
    after = before.with_choices(changes)
    if gpc is None:
        # A choice made while the browser sends GPC is the explicit choice that stands afterwards.
        gpc = before.gpc or request.META.get("HTTP_SEC_GPC") == "1"
    after = replace(after, gpc=gpc, gpc_pending=False)
    # With the signal, a group it refuses that this choice leaves undecided is refused by it
    # ("Accept all except marketing" sent with the first signal).
    signalled = {
        k: False
        for k in groups.by_key()
        if gpc and k in groups.GPC_PURPOSES and k not in changes and after.accepted(k) is None
    }
    after = after.with_choices(signalled) if signalled else after
    key = subject_key(request, after)
    known = groups.by_key()
    with transaction.atomic():
        if before.gpc_pending or signalled:  # the signal is recorded before this choice
            record_gpc(request, before if before.gpc_pending else after)
        for group, accepted in changes.items():
            previously = before.accepted(group)
            if accepted:
                action = Action.GIVEN
            elif before.exceptions_apply and known[group].is_exception:
                action = Action.OBJECTED  # on without consent until now: the visitor objects
            elif previously:
                action = Action.WITHDRAWN
            else:
                action = Action.REFUSED
            ledger.append(
                subject_key=key,
                purpose=group,
                action=action,
                channel=channel,
                version=known[group].version,
            )
    state.write(request, response, after)
    delete_refused_cookies(request, response, after)
    return after


def delete_refused_cookies(
    request: HttpRequest, response: HttpResponseBase, current: ConsentState | None = None
) -> None:
    """Delete every cookie of a group that is not accepted, wildcard names included.

    Cheap for most requests: one compiled pattern tells whether any consent-group cookie is present
    at all; only then is the signed consent cookie read.
    """
    pattern = groups.cookie_pattern()
    present = [name for name in request.COOKIES if pattern.match(name)]
    if not present:
        return
    current = current or state.read(request)
    for group in groups.current():
        if current.accepted(group.key):
            continue
        for name in present:
            if group.matches(name):
                response.delete_cookie(name, path="/", samesite="Lax")
