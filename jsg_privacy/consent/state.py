"""A visitor's cookie choices, kept in a signed cookie that the shop can trust.

django-cookie-consent's own cookie is unsigned and compares versions as strings, so forged values
count as consent. Here the choices are signed with Django's signing framework and carry each group's
version hash: a cookie that fails the signature, is older than ``JSG_PRIVACY_CONSENT_MAX_AGE``, or
names an old version counts as undecided. A second, readable cookie mirrors the choices (no id, no
signature) so the banner script can act on them without a request; the server never trusts it.
"""

from __future__ import annotations

import secrets
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import constant_time_compare

from jsg_privacy.conf import app_settings
from jsg_privacy.consent import groups, region

SALT = "jsg_privacy.consent"
UI_SUFFIX = "_ui"
REQUEST_ATTRIBUTE = "_jsg_privacy_consent"


@dataclass(frozen=True)
class ConsentState:
    """Choices by group key: True accepted, False refused; absent means undecided."""

    consent_id: str = ""
    choices: dict[str, bool] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    #: True once a Global Privacy Control signal was honoured for this visitor.
    gpc: bool = False
    #: Honoured, but not in the ledger yet: it is recorded when the browser sends the cookie back,
    #: so a client that keeps no cookies adds no ledger rows (each of its requests is a stranger).
    gpc_pending: bool = False
    #: The visitor is where the Sch. A1 exceptions apply (:mod:`.region`): exception groups are on
    #: unless they objected. Set per request by :func:`read`, never stored in the cookie.
    exceptions_apply: bool = False
    #: When each refusal or withdrawal was made (epoch seconds): it stands for
    #: ``JSG_PRIVACY_CONSENT_REFUSAL_COOLDOWN`` days even if the group changes meanwhile.
    refused_at: dict[str, int] = field(default_factory=dict)

    def accepted(self, group: str) -> bool | None:
        """True, False, or None when undecided (or decided on an older version of the group).

        An exception group (statistical, appearance) where the exceptions apply is on unless the
        visitor objected — an objection stands whatever the group's version."""
        choice = self.choices.get(group)
        found = groups.by_key().get(group)
        if self.exceptions_apply and found is not None and found.is_exception:
            return choice is not False
        if choice is None:
            return None
        version = groups.versions().get(group)
        if version is None:
            return None
        if self.versions.get(group) != version:
            # The group changed since the choice: asked again, unless it was a refusal (or a
            # withdrawal) still within its cooldown — then it stands, and the banner stays away.
            return False if choice is False and self._cooling_down(group) else None
        return choice

    def _cooling_down(self, group: str) -> bool:
        refused = self.refused_at.get(group)
        cooldown = app_settings.CONSENT_REFUSAL_COOLDOWN * 86400
        return refused is not None and time.time() - refused < cooldown

    @property
    def decided(self) -> bool:
        return all(self.accepted(key) is not None for key in groups.versions())

    def with_choices(self, changes: dict[str, bool]) -> ConsentState:
        known = groups.versions()
        choices = {k: v for k, v in self.choices.items() if k in known}
        versions = {k: v for k, v in self.versions.items() if k in known}
        refused_at = {k: v for k, v in self.refused_at.items() if k in known}
        now = int(time.time())
        for key, value in changes.items():
            choices[key] = value
            versions[key] = known[key]
            if value:
                refused_at.pop(key, None)
            else:
                refused_at[key] = now
        return replace(
            self,
            consent_id=self.consent_id or new_consent_id(),
            choices=choices,
            versions=versions,
            refused_at=refused_at,
        )


def new_consent_id() -> str:
    return secrets.token_urlsafe(16)


def cookie_name() -> str:
    return app_settings.CONSENT_COOKIE_NAME


def max_age() -> timedelta:
    return timedelta(days=app_settings.CONSENT_MAX_AGE)


def read(request: HttpRequest) -> ConsentState:
    """The request's consent state, parsed once per request; anything invalid counts as undecided."""
    cached: ConsentState | None = getattr(request, REQUEST_ATTRIBUTE, None)
    if cached is not None:
        return cached
    state = _parse(request.COOKIES.get(cookie_name(), ""))
    if region.exceptions_apply(request):
        state = replace(state, exceptions_apply=True)
    setattr(request, REQUEST_ATTRIBUTE, state)
    return state


#: Cookie values already verified, with when they expire: checking a signature costs more than the
#: rest of the consent layer per request, and a returning visitor sends the same value every time.
_verified: OrderedDict[str, tuple[float, ConsentState]] = OrderedDict()
VERIFIED_MAX = 4096


@receiver(setting_changed)
def _forget_verified(*, setting: str, **kwargs: Any) -> None:
    if setting in ("SECRET_KEY", "SECRET_KEY_FALLBACKS") or setting.startswith("JSG_PRIVACY_"):
        _verified.clear()
        _signer.clear()


def _parse(raw: str) -> ConsentState:
    if not raw or len(raw) > 4096:
        return ConsentState()
    known = _verified.get(raw)
    if known is not None and known[0] > time.time():
        return known[1]
    found = _verify(raw)
    if found.consent_id:
        signed_at = signing.b62_decode(raw.rsplit(":", 2)[1])
        _verified[raw] = (signed_at + max_age().total_seconds(), found)
        if len(_verified) > VERIFIED_MAX:
            _verified.popitem(last=False)
    return found


#: The signer, built once (settings are read when it is made); dropped on a setting change.
_signer: list[signing.TimestampSigner] = []


def _signature_ok(raw: str) -> str | None:
    """The signed ``payload:timestamp`` part of ``raw`` if its signature is good, else None.

    Checked without raising: a forged or corrupt cookie costs one HMAC per key and no exception,
    no more than the request of a first-time visitor (who has no cookie at all)."""
    if not _signer:
        _signer.append(signing.TimestampSigner(salt=SALT))
    signer = _signer[0]
    value, sep, signature = raw.rpartition(":")
    if not sep or ":" not in value:
        return None
    for key in (signer.key, *signer.fallback_keys):
        if constant_time_compare(signature, signer.signature(value, key)):
            return value
    return None


def _verify(raw: str) -> ConsentState:
    value = _signature_ok(raw)
    if value is None:
        return ConsentState()
    try:  # signed by this shop: only a payload of an older format can fail below
        encoded, timestamp = value.rsplit(":", 1)
        if time.time() - signing.b62_decode(timestamp) > max_age().total_seconds():
            return ConsentState()
        data = encoded.encode()
        payload = signing.JSONSerializer().loads(
            zlib.decompress(signing.b64_decode(data[1:]))
            if data[:1] == b"."
            else signing.b64_decode(data)
        )
        consent_id = payload["i"]
        entries = payload["c"]
        if not isinstance(consent_id, str) or not isinstance(entries, dict):
            return ConsentState()
        choices = {str(k): bool(v[0]) for k, v in entries.items()}
        versions = {str(k): str(v[1]) for k, v in entries.items()}
        # A third element: when a refusal was made (cookies written before it have none).
        refused_at = {str(k): int(v[2]) for k, v in entries.items() if len(v) > 2 and not v[0]}
        gpc = payload.get("g")
        return ConsentState(
            consent_id,
            choices,
            versions,
            gpc=gpc in (1, 2),
            gpc_pending=gpc == 2,
            refused_at=refused_at,
        )
    except (KeyError, TypeError, ValueError, IndexError, zlib.error):
        return ConsentState()


def write(request: HttpRequest, response: HttpResponseBase, state: ConsentState) -> None:
    """Store ``state`` in the signed cookie and its readable mirror, and remember it for the request."""
    payload: dict[str, Any] = {
        "i": state.consent_id,
        "c": {
            k: [int(v), state.versions.get(k, "")]
            + ([state.refused_at[k]] if not v and k in state.refused_at else [])
            for k, v in state.choices.items()
        },
    }
    if state.gpc:
        payload["g"] = 2 if state.gpc_pending else 1
    age = int(max_age().total_seconds())
    common: dict[str, Any] = {
        "max_age": age,
        "secure": settings.SESSION_COOKIE_SECURE or request.is_secure(),
        "samesite": "Lax",
        "path": "/",
    }
    response.set_cookie(cookie_name(), signing.dumps(payload, salt=SALT), httponly=True, **common)
    response.set_cookie(cookie_name() + UI_SUFFIX, mirror(state), httponly=False, **common)
    setattr(request, REQUEST_ATTRIBUTE, state)


def mirror(state: ConsentState) -> str:
    """``analytics.1.<version>|marketing.0.<version>`` plus ``|gpc``: plain ASCII, no identifier."""
    parts = [f"{k}.{int(v)}.{state.versions.get(k, '')}" for k, v in sorted(state.choices.items())]
    if state.gpc:
        parts.append("gpc")
    return "|".join(parts)
