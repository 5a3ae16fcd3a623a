"""Signed tokens: which boxes a form showed, unsubscribe links, and double opt-in links.

All are made with :mod:`django.core.signing`, so nobody without the project's secret can make or
alter one. They carry keyed hashes and version hashes only: a token in a URL or a mail provider's
log reveals no e-mail address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import signing

from jsg_privacy.conf import app_settings

FORM_SALT = "jsg_privacy.marketing.form"
UNSUBSCRIBE_SALT = "jsg_privacy.marketing.unsubscribe"
CONFIRM_SALT = "jsg_privacy.marketing.confirm"
#: How long a double opt-in confirmation link stays valid.
CONFIRM_MAX_AGE = timedelta(days=14)
#: Longer strings are refused before any cryptography is attempted.
MAX_LENGTH = 2048

_KEY = re.compile(r"^[0-9a-f]{64}$")
_NAME = re.compile(r"^[a-z0-9_]{1,16}$")


class InvalidToken(Exception):
    """The token is missing, malformed, forged or made for something else."""


class ExpiredToken(InvalidToken):
    """The token was genuine but is older than its maximum age."""


def _load(token: Any, salt: str, max_age: timedelta | None = None) -> Any:
    if not isinstance(token, str) or not token or len(token) > MAX_LENGTH:
        raise InvalidToken("missing or too long")
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ExpiredToken(str(exc)) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise InvalidToken(str(exc)) from exc


# -- the boxes a form showed ----------------------------------------------------------------------


def offer_token(scope: str, versions: dict[str, str]) -> str:
    """Sign the boxes a form shows (``{box name: version}``) for ``scope`` (the form's channel)."""
    return signing.dumps({"s": scope, "b": versions}, salt=FORM_SALT, compress=True)


def read_offer(token: Any, scope: str) -> dict[str, str]:
    """``{box name: version}`` the form showed; raises :class:`InvalidToken`."""
    payload = _load(token, FORM_SALT)
    if not isinstance(payload, dict) or payload.get("s") != scope:
        raise InvalidToken("made for another form")
    boxes = payload.get("b")
    if not isinstance(boxes, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in boxes.items()
    ):
        raise InvalidToken("malformed")
    return boxes


# -- unsubscribe links ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Unsubscribe:
    key: str  #: the keyed hash of the e-mail address
    medium: str  #: a medium, or "all"


def unsubscribe_token(key: str, medium: str) -> str:
    return signing.dumps({"k": key, "m": medium}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe(token: Any) -> Unsubscribe:
    """What the link unsubscribes from; raises :class:`InvalidToken` or :class:`ExpiredToken`."""
    payload = _load(token, UNSUBSCRIBE_SALT, timedelta(days=app_settings.UNSUBSCRIBE_MAX_AGE))
    key, medium = _fields(payload, "k", "m")
    return Unsubscribe(key, medium)


# -- double opt-in confirmation links -------------------------------------------------------------


@dataclass(frozen=True)
class Confirmation:
    subject_key: str
    version: str  #: the version of the box the person ticked


def confirm_token(subject_key: str, version: str) -> str:
    return signing.dumps({"s": subject_key, "v": version}, salt=CONFIRM_SALT, compress=True)


def read_confirmation(token: Any) -> Confirmation:
    payload = _load(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    subject_key, version = _fields(payload, "s", "v")
    return Confirmation(subject_key, version)


def _fields(payload: Any, key_field: str, other: str) -> tuple[str, str]:
    if not isinstance(payload, dict):
        raise InvalidToken("malformed")
    key, value = payload.get(key_field), payload.get(other)
    if not (isinstance(key, str) and _KEY.match(key) and isinstance(value, str)):
        raise InvalidToken("malformed")
    if other == "m" and not _NAME.match(value):
        raise InvalidToken("malformed")
    return key, value
