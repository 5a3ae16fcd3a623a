"""System checks of the Saleor App (ids ``jsg_privacy_saleor.E001`` …, listed in docs/saleor.md).

- E001: a ``JSG_PRIVACY_SALEOR_`` setting has a value of the wrong type.
- E002: an entry of ``JSG_PRIVACY_SALEOR_API_URLS`` is not an absolute http(s) URL.
- W001: no Saleor API URL is allowed, so no store can install the app.
- W002: an allowed API URL uses plain http outside ``DEBUG`` (the token would travel in clear).
- E003: ``JSG_PRIVACY_SALEOR_INBOX_URL`` is not a Redis URL.
- W003: the inbox is configured but tasks run inline, so it is not used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from jsg_privacy.checks import wrong_types
from jsg_privacy.conf import app_settings
from jsg_privacy.integrations.saleor.conf import SaleorSettings, saleor_settings


@register(Tags.security, "jsg_privacy_saleor")
def check_settings(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    messages = wrong_types(SaleorSettings, "jsg_privacy_saleor.E001")
    urls = saleor_settings.API_URLS
    messages += check_inbox()
    if not isinstance(urls, list | tuple):
        return messages
    if not urls:
        messages.append(
            Warning(
                "JSG_PRIVACY_SALEOR_API_URLS is empty: no Saleor store can install the app.",
                hint='Add your store\'s API URL, e.g. "https://store.example.com/graphql/".',
                id="jsg_privacy_saleor.W001",
            )
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
        elif parts.scheme == "http" and not settings.DEBUG:
            messages.append(
                Warning(
                    f"JSG_PRIVACY_SALEOR_API_URLS holds {url!r}, a plain http URL.",
                    hint="Use https: the app's token is sent with every call to the store.",
                    id="jsg_privacy_saleor.W002",
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
