"""Objecting to storage under a Sch. A1 exception (statistical, appearance), in one click.

The banner and the settings page object through the decline endpoint (CSRF-protected, like every
choice there). The privacy notice is one page for everyone, cached as published, so its
"Object" buttons carry a signed token naming the group and its version instead of a CSRF token:
:func:`read_token` accepts it only while that version is current. A forged token changes nothing
(400); one for an older version of the group is out of date (410), and says where to choose.
Objecting can only turn storage off, so a forged request could do no more than that.
"""

from __future__ import annotations

from django.core import signing

from jsg_privacy.consent import groups

SALT = "jsg_privacy.consent.object"
MAX_TOKEN_LENGTH = 500


class TokenError(Exception):
    """Forged, altered or malformed."""


class TokenOutOfDate(TokenError):
    """Genuine, for a group that has changed (or no longer allows objecting)."""


def token_for(group: groups.Group) -> str:
    return signing.dumps({"g": group.key, "v": group.version}, salt=SALT)


def read_token(token: object) -> groups.Group:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise TokenError("missing or too long")
    try:
        payload = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenError(str(exc)) from exc
    if not isinstance(payload, dict):
        raise TokenError("malformed")
    found = groups.by_key().get(str(payload.get("g")))
    if found is None or not found.is_exception or found.version != payload.get("v"):
        raise TokenOutOfDate("the group changed")
    return found
