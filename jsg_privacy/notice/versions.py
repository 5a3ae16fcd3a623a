"""Notice versions: record each distinct content once, and serve the rendered notice from cache.

The first request that sees a new content hash stores a :class:`~jsg_privacy.models.NoticeVersion`
and sends :data:`~jsg_privacy.signals.notice_published`. After that, the version's rendered HTML is
cached per version and language, so serving the notice runs no database query. The cache key also
names how it is drawn (jsg_privacy's release, the shop's template folders and form classes), so a
deploy that changes those is not served the page drawn before it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.translation import get_language

from jsg_privacy import __version__, signals
from jsg_privacy.conf import PREFIX, app_settings
from jsg_privacy.models import NoticeVersion
from jsg_privacy.notice import content as notice_content
from jsg_privacy.registry import on_change, registry

CACHE_PREFIX = "jsg_privacy:notice:"
FRAGMENT_TEMPLATE = "jsg_privacy/notice/_notice.html"


@dataclass(frozen=True)
class Published:
    """The current notice: its content, version hash, first publication date and rendered body."""

    content: dict[str, Any]
    digest: str
    published_at: datetime
    html: str


#: language -> (content, digest); the content only changes with the registry or the settings.
_built: dict[str, tuple[dict[str, Any], str]] = {}


@on_change
def _forget(*args: Any, **kwargs: Any) -> None:
    _built.clear()


#: How the notice is drawn, as a short hash in its cache key (computed once per process).
_drawing: list[str] = []


@receiver(setting_changed)
def _forget_on_setting(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith(PREFIX) or setting in ("LANGUAGE_CODE", "LANGUAGES"):
        _built.clear()
    if setting.startswith(PREFIX) or setting == "TEMPLATES":
        _drawing.clear()


def drawing() -> str:
    """A hash of what shapes the rendered page besides its content: jsg_privacy's release (its
    templates), the shop's template folders (overrides) and ``JSG_PRIVACY_FORM_CLASSES``."""
    if not _drawing:
        engines: list[dict[str, Any]] = settings.TEMPLATES
        folders = [str(d) for engine in engines for d in engine.get("DIRS", [])]
        shape = repr((__version__, folders, app_settings.FORM_CLASSES))
        _drawing.append(hashlib.sha256(shape.encode()).hexdigest()[:12])
    return _drawing[0]


def built() -> tuple[dict[str, Any], str]:
    """The notice content in the active language and its hash, built once per process."""
    language = get_language() or ""
    if language not in _built:
        content = notice_content.build(registry)
        _built[language] = (content, notice_content.digest(content))
    return _built[language]


def current() -> Published:
    """The notice as it stands now, recording a new version when its content changed."""
    content, digest = built()
    key = f"{CACHE_PREFIX}{content['language']}:{digest}:{drawing()}"
    cached = cache.get(key)
    if cached is not None:
        published_at, html = cached
        return Published(content, digest, published_at, html)
    version = record(content, digest)
    html = render_to_string(
        FRAGMENT_TEMPLATE,
        {"notice": content, "digest": digest, "published_at": version.published_at},
    )
    cache.set(key, (version.published_at, html), timeout=None)
    return Published(content, digest, version.published_at, html)


def record(content: dict[str, Any], digest: str) -> NoticeVersion:
    """Store this content as a version unless it is stored already (safe under concurrency)."""
    language = content["language"]
    version = NoticeVersion.objects.filter(digest=digest, language=language).first()
    if version is not None:
        return version
    try:
        with transaction.atomic():
            version = NoticeVersion.objects.create(
                digest=digest, language=language, content=content
            )
    except IntegrityError:  # another process stored it first
        return NoticeVersion.objects.get(digest=digest, language=language)
    signals.notice_published.send(sender=NoticeVersion, version=version)
    return version
