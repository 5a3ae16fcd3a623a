"""``JSG_PRIVACY_KIT``: what the compliance kit needs to know about a shop, read and checked once.

```python
JSG_PRIVACY_KIT = {
    "pages": ["/", "/products/meter/"],  # or a dotted path to a function returning them
    "discover": True,  # add the URLconf's pages that take no parameter
    "checkout": "/checkout/",
    "before_checkout": "shop.kit.fill_basket",  # called with a visitor before checkout
    "sign_up": "/account/sign-up/",
    "subject": "shop.kit.make_customer",  # returns a user (or a jsg_privacy Subject)
    "setup": "shop.kit.make_catalogue",  # pytest only: data the pages need, in the test database
    "not_applicable": {"gpc-honoured": "We set no marketing or sharing cookies at all."},
    "exclude": ["/dashboard/"],  # path prefixes not to visit: staff pages
    "third_parties": {"cdn.example.net": "Our own CDN: static files, no cookies, no logs kept."},
}
```
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from jsg_privacy.conf import app_settings

KEYS = {
    "pages",
    "discover",
    "checkout",
    "before_checkout",
    "sign_up",
    "subject",
    "setup",
    "not_applicable",
    "chromium",
    "ignore_boxes",
    "exclude",
    "third_parties",
}


def _callable(dotted: Any, key: str) -> Callable[..., Any] | None:
    if dotted in (None, ""):
        return None
    if callable(dotted):
        return dotted  # type: ignore[no-any-return]
    if not isinstance(dotted, str):
        raise ImproperlyConfigured(f'JSG_PRIVACY_KIT["{key}"] must be a dotted path to a function.')
    try:
        found = import_string(dotted)
    except ImportError as error:
        raise ImproperlyConfigured(
            f'JSG_PRIVACY_KIT["{key}"] = {dotted!r} cannot be imported: {error}'
        ) from error
    if not callable(found):
        raise ImproperlyConfigured(f'JSG_PRIVACY_KIT["{key}"] = {dotted!r} is not callable.')
    return found  # type: ignore[no-any-return]


def _path(value: Any, key: str) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not value.startswith("/"):
        raise ImproperlyConfigured(f'JSG_PRIVACY_KIT["{key}"] must be a path starting with /.')
    return value


@dataclass
class KitConfig:
    pages: list[str] | Callable[[], list[str]] = field(default_factory=list)
    discover: bool = False
    checkout: str = ""
    before_checkout: Callable[..., Any] | None = None
    sign_up: str = ""
    subject: Callable[[], Any] | None = None
    setup: Callable[[], Any] | None = None
    not_applicable: dict[str, str] = field(default_factory=dict)
    chromium: str = ""
    #: Words that mark a ticked box as not asking for consent ("remember me").
    ignore_boxes: tuple[str, ...] = ()
    #: Path prefixes never visited (staff pages: the admin is never visited anyway).
    exclude: tuple[str, ...] = ()
    #: Other sites pages may load from before a choice, each with the shop's reason (the report
    #: shows it): ``{"cdn.example.net": "static files only, no cookies"}``.
    third_parties: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, overrides: Mapping[str, Any] | None = None) -> KitConfig:
        raw = {**app_settings.KIT, **(overrides or {})}
        unknown = set(raw) - KEYS
        if unknown:
            raise ImproperlyConfigured(
                f"JSG_PRIVACY_KIT has unknown keys: {', '.join(sorted(unknown))} "
                f"(known: {', '.join(sorted(KEYS))})."
            )
        pages = raw.get("pages", [])
        if isinstance(pages, str):
            pages = _callable(pages, "pages")
        elif isinstance(pages, list | tuple):
            pages = [_path(page, "pages") for page in pages]
        elif not callable(pages):
            raise ImproperlyConfigured('JSG_PRIVACY_KIT["pages"] must be a list of paths.')
        not_applicable = raw.get("not_applicable", {})
        if not isinstance(not_applicable, Mapping) or not all(
            isinstance(v, str) and v.strip() for v in not_applicable.values()
        ):
            raise ImproperlyConfigured(
                'JSG_PRIVACY_KIT["not_applicable"] maps rule ids to the reason, e.g. '
                '{"gpc-honoured": "We set no marketing cookies."}: a reason is required.'
            )
        third_parties = raw.get("third_parties", {})
        if not isinstance(third_parties, Mapping) or not all(
            isinstance(v, str) and v.strip() for v in third_parties.values()
        ):
            raise ImproperlyConfigured(
                'JSG_PRIVACY_KIT["third_parties"] maps hosts to the reason they may be loaded from '
                'before a choice, e.g. {"cdn.example.net": "static files only"}: a reason is required.'
            )
        return cls(
            pages=pages,
            discover=bool(raw.get("discover", not pages)),
            checkout=_path(raw.get("checkout"), "checkout"),
            before_checkout=_callable(raw.get("before_checkout"), "before_checkout"),
            sign_up=_path(raw.get("sign_up"), "sign_up"),
            subject=_callable(raw.get("subject"), "subject"),
            setup=_callable(raw.get("setup"), "setup"),
            not_applicable=dict(not_applicable),
            chromium=str(raw.get("chromium", "")),
            ignore_boxes=tuple(raw.get("ignore_boxes", ())),
            exclude=tuple(raw.get("exclude", ())),
            third_parties=dict(third_parties),
        )

    def page_list(self) -> list[str]:
        """The pages to visit: the configured ones, then the URLconf's (``discover``)."""
        from jsg_privacy.consent.scan import url_paths

        given = self.pages() if callable(self.pages) else self.pages
        found = url_paths() if self.discover else []
        pages = [*given, *found]
        for extra in (self.checkout, self.sign_up):
            if extra:
                pages.append(extra)
        return list(
            dict.fromkeys(p for p in pages if p and not p.startswith(self.exclude or ("\0",)))
        )
