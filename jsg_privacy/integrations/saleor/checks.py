"""System checks of the Saleor App (ids ``jsg_privacy_saleor.E001`` …, listed in docs/saleor.md).

- E001: a ``JSG_PRIVACY_SALEOR_`` setting has a value of the wrong type.
- E002: an entry of ``JSG_PRIVACY_SALEOR_API_URLS`` is not an absolute http(s) URL.
- W001 (DEBUG on) / E004 (DEBUG off): no Saleor API URL is allowed, so no store's signing keys
  (JWKS origin) are known and no store can install the app.
- E005: with DEBUG off, an allowed API URL is plain http to another machine: the token and the
  store's signing keys would travel in clear (retired W002 only warned).
- E003: ``JSG_PRIVACY_SALEOR_INBOX_URL`` is not a Redis URL.
- W003: the inbox is configured but tasks run inline, so it is not used.
- W010: double opt-in is on but ``JSG_PRIVACY_SALEOR_BASE_URL`` is empty: a box ticked at a
  Saleor checkout cannot be confirmed by e-mail, so it is not recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from jsg_privacy.checks import wrong_types
from jsg_privacy.conf import app_settings
from jsg_privacy.integrations.saleor.client import trusted
from jsg_privacy.integrations.saleor.conf import SaleorSettings, saleor_settings


@register(Tags.security, "jsg_privacy_saleor")
def check_settings(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    messages = wrong_types(SaleorSettings, "jsg_privacy_saleor.E001")
    urls = saleor_settings.API_URLS
    messages += check_inbox()
    messages += check_confirmation_links()
    if not isinstance(urls, list | tuple):
        return messages
    if not urls:
        message = (
            "JSG_PRIVACY_SALEOR_API_URLS is empty: no Saleor store's signing keys (its JWKS "
            "origin) are known, so no store can install the app."
        )
        hint = (
            'Add your store\'s API URL, e.g. "https://store.example.com/graphql/" (its keys are '
            "read from https://store.example.com/.well-known/jwks.json), or remove "
            "jsg_privacy.integrations.saleor from INSTALLED_APPS."
        )
        messages.append(
            Warning(message, hint=hint, id="jsg_privacy_saleor.W001")
            if settings.DEBUG
            else Error(message, hint=hint, id="jsg_privacy_saleor.E004")
        )
    for url in urls:
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            messages.append(
                Error(
                    f"JSG_PRIVACY_SALEOR_API_URLS holds {url!r}, not an absolute http(s) URL.",
                    id="jsg_privacy_saleor.E002",
                )
            )
        elif not trusted(str(url)):
            messages.append(
                Error(
                    f"JSG_PRIVACY_SALEOR_API_URLS holds {url!r}, plain http to another machine, "
                    "while DEBUG is off: the app's token and the store's signing keys would "
                    "travel in clear, and are refused.",
                    hint="Use the store's https URL (http is accepted only on this machine: "
                    "localhost, 127.0.0.1, ::1).",
                    id="jsg_privacy_saleor.E005",
                )
            )
    return messages


def check_inbox() -> list[CheckMessage]:
    url = saleor_settings.INBOX_URL
    if not url or not isinstance(url, str):
        return []
    scheme = urlsplit(url).scheme
    if scheme not in ("redis", "rediss", "unix"):
        return [
            Error(
                f"JSG_PRIVACY_SALEOR_INBOX_URL is not a Redis URL (its scheme is {scheme!r}).",
                hint='Use e.g. "redis://127.0.0.1:6379/0", or "" to queue each webhook as a task.',
                id="jsg_privacy_saleor.E003",
            )
        ]
    if app_settings.TASK_RUNNER != "celery":
        return [
            Warning(
                "JSG_PRIVACY_SALEOR_INBOX_URL is set but JSG_PRIVACY_TASK_RUNNER is not celery: "
                "the inbox is not used, each webhook is handled in its own request.",
                hint='Set JSG_PRIVACY_TASK_RUNNER = "celery", or leave the inbox out.',
                id="jsg_privacy_saleor.W003",
            )
        ]
    return []


def check_confirmation_links() -> list[CheckMessage]:
    if not app_settings.MARKETING_DOUBLE_OPT_IN or saleor_settings.BASE_URL:
        return []
    return [
        Warning(
            "JSG_PRIVACY_MARKETING_DOUBLE_OPT_IN is on but JSG_PRIVACY_SALEOR_BASE_URL is empty: "
            "an e-mail box ticked at a Saleor checkout needs a confirmation link to the shop, so "
            "the boxes a storefront shows are not recorded.",
            hint='Set JSG_PRIVACY_SALEOR_BASE_URL = "https://shop.example.com".',
            id="jsg_privacy_saleor.W010",
        )
    ]
