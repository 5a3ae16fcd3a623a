"""What the cookie banner weighs: its HTML as served on a page, consent.css and consent.js, gzipped.

Each part is compressed on its own (gzip level 9) and the sizes summed: a page compresses the banner
with the rest of its HTML, so this errs on the heavy side. The target is 4 KB all in.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client

from bench.runner import Figure

TARGET_BYTES = 4096
#: From PEERS.md (gzipped, from their npm packages).
PEERS = (
    "vanilla-cookieconsent 3.1 = 15.5 KB gz (10.2 JS + 5.3 CSS); Klaro 0.7 = 64-69 KB gz; "
    "django-cookie-consent = 1.7 KB gz, JS only (no markup, no CSS)"
)
TAG = re.compile(r"<(/?)div\b")


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def element(html: str, element_id: str) -> str:
    """The ``<div id="element_id">`` of ``html`` with everything inside it, as served."""
    start = html.index(f'<div id="{element_id}"')
    depth = 0
    for tag in TAG.finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[start : html.index(">", tag.end()) + 1]
    raise ValueError(f"#{element_id} is not closed")


def static_file(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return Path(found).read_bytes()


def run() -> list[Figure]:
    page = Client().get("/")
    assert page.status_code == 200, page.status_code
    parts = {
        "banner HTML": element(page.content.decode(), "jsg-cb").encode(),
        "consent.css": static_file("jsg_privacy/consent.css"),
        "consent.js": static_file("jsg_privacy/consent.js"),
    }
    sizes = {name: gzipped(data) for name, data in parts.items()}
    total = sum(sizes.values())
    breakdown = ", ".join(
        f"{name} {sizes[name]} B ({len(data)} B raw)" for name, data in parts.items()
    )
    extra = gzipped(static_file("jsg_privacy/consent-mode.js"))
    return [
        Figure(
            "cookie banner weight, gzip -9 (banner HTML + consent.css + consent.js)",
            f"{total} bytes = {total / TARGET_BYTES:.2f}x the {TARGET_BYTES}-byte target "
            f"(target <= {TARGET_BYTES} B: {'met' if total <= TARGET_BYTES else 'NOT met'}); "
            f"{breakdown}; "
            f"consent-mode.js, only with JSG_PRIVACY_GOOGLE_CONSENT_MODE, adds {extra} B. "
            f"Peers: {PEERS}",
        )
    ]
