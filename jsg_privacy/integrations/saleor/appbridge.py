"""Staff in Saleor's dashboard, authenticated by the app-bridge token the dashboard hands the app.

The dashboard gives an app's page (in its iframe) a JWT for the signed-in staff member: Saleor's
``create_access_token_for_app`` — RS256, signed with the store's key (the keys of its JWKS, as for
webhooks), ``type`` ``thirdparty``, ``app`` the app's id in the store, ``user_id`` and ``email``
the staff member's, ``user_permissions`` their permissions and ``permissions`` those they share
with the app. The page sends it back with each call in the ``Authorization-Bearer`` header (as
Saleor's app-sdk does; ``Authorization: Bearer`` is accepted too). A call is answered only if the
token is valid, issued by an installed store to this installation's app, and its holder may manage
customers (``MANAGE_USERS``): otherwise :class:`NotAuthenticated` (a 401) or :class:`NotPermitted`
(a 403), and nothing is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from jsg_privacy.integrations.saleor.models import Installation
from jsg_privacy.integrations.saleor.tokens import verified_claims

#: The permission staff need, in the token's ``user_permissions`` and ``permissions``.
PERMISSION = "MANAGE_USERS"
TOKEN_TYPE = "thirdparty"  # noqa: S105  # the kind of token Saleor issues to apps, not a secret


class NotAuthenticated(Exception):
    """No token, or one that is not a valid app-bridge token for this app (401)."""


class NotPermitted(Exception):
    """A valid token whose holder may not manage the store's customers (403)."""


@dataclass(frozen=True)
class Staff:
    """The staff member of a store the token was issued to."""

    installation: Installation
    user_id: str
    email: str

    def __str__(self) -> str:
        return f"Saleor staff user {self.user_id} ({self.email}) of {self.installation.api_url}"


def bearer(request: HttpRequest) -> str:
    """The token a call carries: ``Authorization-Bearer``, else ``Authorization: Bearer``."""
    token = request.headers.get("Authorization-Bearer", "")
    if not token:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        token = value if scheme.lower() == "bearer" else ""
    return token.strip()


def authenticate(request: HttpRequest) -> Staff:
    """The staff member whose app-bridge token ``request`` carries, if they may manage customers."""
    token = bearer(request)
    if not token:
        raise NotAuthenticated("The call carries no app-bridge token.")
    try:
        installation, claims = verified_claims(token, "app-bridge token")
    except ValueError as error:
        raise NotAuthenticated(str(error)) from None
    if claims.get("type") != TOKEN_TYPE or claims.get("app") != installation.app_id:
        raise NotAuthenticated("The token was not issued to this app.")
    named = request.headers.get("Saleor-Api-Url", "").strip().rstrip("/")
    if named and named != installation.api_url.rstrip("/"):
        raise NotAuthenticated("The token was issued by another store.")
    user_id, email = claims.get("user_id"), claims.get("email")
    if not isinstance(user_id, str) or not user_id or not isinstance(email, str):
        raise NotAuthenticated("The token names no staff member.")
    granted = claims.get("user_permissions"), claims.get("permissions")
    if not claims.get("is_staff") or not all(
        isinstance(p, list) and PERMISSION in p for p in granted
    ):
        raise NotPermitted(f"Only staff with the {PERMISSION} permission may do this.")
    return Staff(installation, user_id, email)
