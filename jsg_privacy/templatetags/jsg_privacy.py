"""Template tags: ``{% load jsg_privacy %}``.

- ``{% consent_head %}`` in ``<head>``, before any other script: styles, the banner script and (when
  ``JSG_PRIVACY_GOOGLE_CONSENT_MODE`` is on) Google Consent Mode defaults. No inline script.
- ``{% consent_banner %}`` once per page: the banner. Its HTML is the same for every visitor, so pages
  stay cacheable; it is rendered once per process and language, then only the CSRF token and the
  return path are filled in per request.
- ``{% privacy_settings_link %}``: reopens the banner (or the settings page without JavaScript).
- ``{% consent_choices %}``: the visitor's current choices with switches, e.g. at checkout.
- ``{% language_switcher %}``: buttons to read the pages in another of ``LANGUAGES``.
- ``{% ifconsent "analytics" %}…{% else %}…{% endifconsent %}``: server-side gating; the response then
  varies on the cookie.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.context import Context
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jsg_privacy.conf import app_settings
from jsg_privacy.consent import groups, region, state
from jsg_privacy.consent.forms import INLINE_FIELD, INLINE_SHOWN
from jsg_privacy.consent.middleware import VARY_ATTRIBUTE
from jsg_privacy.registry import StorageRoute, on_change

register = template.Library()

HIDDEN = "\x00jsg-hidden\x00"
NONCE = "\x00jsg-nonce\x00"
#: Rendered once per process: (tag, language, variant) -> HTML with placeholders for per-request values.
_rendered: dict[tuple[str, ...], str] = {}

#: Google Consent Mode v2 consent types per group.
CONSENT_MODE_TYPES = {
    "analytics": ["analytics_storage"],
    "marketing": ["ad_storage", "ad_user_data", "ad_personalization"],
    "preferences": ["functionality_storage", "personalization_storage"],
}
#: Every Consent Mode v2 type: each is in the default command, denied unless always granted.
ALL_CONSENT_MODE_TYPES = (
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
)
#: Strictly necessary for security (fraud prevention, authentication): granted everywhere.
ALWAYS_GRANTED = ("security_storage",)
#: What a Sch. A1 exception may grant by default where it applies; never an advertising type.
GRANTED_BY_ROUTE = {
    StorageRoute.STATISTICAL: {"analytics_storage"},
    StorageRoute.APPEARANCE: {"functionality_storage", "personalization_storage"},
}


def consent_mode_regions() -> dict[str, list[str]]:
    """``{"countries": [...], "grant": [...]}``: the region-specific default where the UK
    exceptions apply — each exception group's own types that its route allows, never ``ad_*``."""
    grant = sorted(
        {
            kind
            for g in groups.current()
            if g.is_exception
            for kind in CONSENT_MODE_TYPES.get(g.key, [])
            if kind in GRANTED_BY_ROUTE.get(g.route, set())
        }
    )
    countries = sorted({c.strip().upper() for c in app_settings.EXCEPTION_COUNTRIES})
    return {"countries": countries, "grant": grant} if grant and countries else {}


@on_change
def _forget(*args: object) -> None:
    _rendered.clear()


@receiver(setting_changed)
def _forget_on_setting(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("JSG_PRIVACY_") or setting in (
        "STATIC_URL",
        "STORAGES",
        "ROOT_URLCONF",
        "LANGUAGES",
    ):
        _rendered.clear()


def _once(key: tuple[str, ...], render: Callable[[], Any]) -> str:
    html = _rendered.get(key)
    if html is None:
        html = _rendered[key] = str(render())
    return html


def _hidden_fields(context: Context) -> str:
    """The return path. No CSRF token, so a page showing the banner sets no cookie: the consent
    views check where a choice comes from without one (:mod:`jsg_privacy.consent.origin`)."""
    request = context.get("request")
    if request is None:
        return ""
    return f'<input type="hidden" name="next" value="{escape(request.get_full_path())}">'


def _nonce(context: Context) -> str:
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", "") if request is not None else ""
    return format_html(' nonce="{}"', nonce) if nonce else ""


def _versions() -> str:
    return json.dumps({g.key: g.version for g in groups.current()}, separators=(",", ":"))


class CachedNode(template.Node):
    """Output rendered once per process (and language); per-request values are filled in."""

    def __init__(
        self,
        key: str,
        render: Callable[[], Any],
        fill: Callable[[str, Context], str],
        *,
        localized: bool = True,
    ) -> None:
        self.key, self.render_once, self.fill, self.localized = key, render, fill, localized

    def render(self, context: Context) -> str:
        language = (get_language() or "") if self.localized else ""
        return self.fill(_once((self.key, language), self.render_once), context)


def _fill_nonce(html: str, context: Context) -> str:
    return html.replace(NONCE, _nonce(context)) if NONCE in html else html


@register.tag
def consent_head(parser: template.base.Parser, token: template.base.Token) -> CachedNode:
    """``{% consent_head %}``: first in ``<head>``."""
    return CachedNode("head", _render_head, _fill_nonce, localized=False)


def _render_head() -> str:
    nonce = mark_safe(NONCE)  # noqa: S308 -- a placeholder, replaced per request
    parts = [
        format_html('<link rel="stylesheet" href="{}">', static("jsg_privacy/consent.css")),
        # Without JavaScript only: the per-visitor stylesheet that hides a decided banner.
        format_html(
            '<noscript><link rel="stylesheet" href="{}"></noscript>',
            reverse("jsg_privacy:cookies-state-css"),
        ),
        # With JavaScript: a static script reads the consent cookie's readable mirror before the
        # page is drawn; no request to the shop per page view.
        format_html(
            '<script src="{}" data-versions="{}" data-cookie="{}"{}></script>',
            static("jsg_privacy/consent-state.js"),
            _versions(),
            state.cookie_name(),
            nonce,
        ),
    ]
    if app_settings.GOOGLE_CONSENT_MODE:  # a setting change clears the cache (_forget_on_setting)
        mapping = {g.key: CONSENT_MODE_TYPES.get(g.key, []) for g in groups.current()}
        parts.append(
            format_html(
                '<script src="{}" data-map="{}" data-versions="{}" data-cookie="{}" '
                'data-types="{}" data-always="{}" data-regions="{}" data-wait="{}"{}></script>',
                static("jsg_privacy/consent-mode.js"),
                json.dumps(mapping, separators=(",", ":")),
                _versions(),
                state.cookie_name(),
                json.dumps(ALL_CONSENT_MODE_TYPES, separators=(",", ":")),
                json.dumps(ALWAYS_GRANTED, separators=(",", ":")),
                json.dumps(consent_mode_regions(), separators=(",", ":")),
                app_settings.CONSENT_MODE_WAIT_FOR_UPDATE,
                nonce,
            )
        )
    parts.append(
        format_html('<script src="{}" defer{}></script>', static("jsg_privacy/consent.js"), nonce)
    )
    return mark_safe("".join(parts))  # noqa: S308 -- every part is built with format_html


def _fill_hidden(html: str, context: Context) -> str:
    return html.replace(HIDDEN, _hidden_fields(context)) if html else html


@register.tag
def consent_banner(parser: template.base.Parser, token: template.base.Token) -> CachedNode:
    """``{% consent_banner %}``: once per page, nothing at all when no group needs consent."""
    return CachedNode("banner", _render_banner, _fill_hidden)


def _render_banner() -> str:
    if not groups.current():
        return ""  # nothing needs consent: no banner
    return render_to_string(
        "jsg_privacy/consent/banner.html",
        {
            "groups": groups.current(),
            "choices": [(g, False) for g in groups.current()],
            "versions_json": _versions(),
            # Groups on without a prompt where the UK exceptions apply. Without a country header
            # every visitor is in the shop's default country, so the page says whether they apply
            # ("1"/"0", the same for everyone: still cache-safe, no request); with one, the script
            # asks the status endpoint (which varies on that header) until the visitor decides.
            "exceptions_json": json.dumps([g.key for g in groups.current() if g.is_exception]),
            "exceptions_apply": (
                "" if region.header_meta_key() else "1" if region.exceptions_apply(None) else "0"
            ),
            # localStorage/sessionStorage keys the script removes while their group is refused.
            "storage_json": json.dumps(
                {g.key: keys for g in groups.current() if (keys := g.storage_keys())},
                separators=(",", ":"),
            ),
            "cookie_name": state.cookie_name(),
            "hidden_fields": mark_safe(HIDDEN),  # noqa: S308 -- a placeholder, replaced per request
        },
    )


@register.simple_tag(takes_context=True)
def consent_choices(
    context: Context, channel: str = "preferences", inline: bool = False
) -> SafeString:
    """The visitor's cookie choices with switches: a form with its own button, or with
    ``inline=True`` switches to put inside the shop's own form (checkout), with no button of their
    own: they are recorded when that form is handled (:func:`jsg_privacy.consent.forms.record_inline`)
    and, where the browser runs the banner script, at once when switched."""
    request = context.get("request")
    current = state.read(request) if request is not None else state.ConsentState()
    shown = [(g, current.accepted(g.key)) for g in groups.current()]
    if not inline:
        return render_to_string(
            "jsg_privacy/consent/_choices.html",
            {
                "choices": shown,
                "channel": channel,
                "hidden_fields": mark_safe(_hidden_fields(context)),  # noqa: S308 -- escaped values
            },
        )
    if request is not None and request.method == "POST" and INLINE_SHOWN in request.POST:
        on = set(request.POST.getlist(INLINE_FIELD))  # a form shown again keeps what was switched
        shown = [(g, g.key in on) for g, _accepted in shown]
    return render_to_string(
        "jsg_privacy/consent/_choices_inline.html",
        {
            "choices": shown,
            "channel": channel,
            "field_name": INLINE_FIELD,
            "shown_name": INLINE_SHOWN,
        },
    )


@register.simple_tag(takes_context=True)
def consent_button(
    context: Context, action: str, label: str, channel: str = "banner"
) -> SafeString:
    """One "Accept all" or "Reject all" button (action: accept or decline), as its own form."""
    url = reverse(f"jsg_privacy:cookies-{action}")
    hidden = _hidden_fields(context) + format_html(
        '<input type="hidden" name="channel" value="{}">', channel
    )
    return render_to_string(
        "jsg_privacy/consent/_button_form.html",
        {"action": url, "label": label, "hidden_fields": mark_safe(hidden)},  # noqa: S308
    )


@register.tag
def privacy_settings_link(parser: template.base.Parser, token: template.base.Token) -> CachedNode:
    """``{% privacy_settings_link %}`` or ``{% privacy_settings_link "Cookie settings" %}``."""
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes at most one argument: the label.")
    label = (
        bits[1][1:-1]
        if len(bits) == 2 and bits[1][0] == bits[1][-1] and bits[1][0] in "'\""
        else ""
    )

    def render() -> str:
        return format_html(
            '<a href="{}" class="jsg-cb-open" data-jsg-cb-open>{}</a>',
            reverse("jsg_privacy:cookies"),
            _(label) if label else _("Privacy settings"),
        )

    return CachedNode(f"link:{label}", render, lambda html, context: html)


@register.tag
def consent_script(parser: template.base.Parser, token: template.base.Token) -> CachedNode:
    """``{% consent_script "analytics" "shop/analytics.js" %}``: an inert script tag for a static
    file, run by the banner script once the group is accepted (its URL resolved once)."""
    bits = token.split_contents()
    if len(bits) != 3 or any(b[0] not in "'\"" or b[0] != b[-1] for b in bits[1:]):
        raise template.TemplateSyntaxError(
            f'{bits[0]} takes two quoted arguments: "group" "static/path.js".'
        )
    group, path = bits[1][1:-1], bits[2][1:-1]

    def render() -> str:
        return format_html(
            '<script type="text/plain" data-consent="{}" src="{}"{}></script>',
            group,
            static(path),
            mark_safe(NONCE),  # noqa: S308 -- a placeholder, replaced per request
        )

    return CachedNode(f"script:{group}:{path}", render, _fill_nonce, localized=False)


class IfConsentNode(template.Node):
    def __init__(
        self, group: Any, accepted: template.NodeList, otherwise: template.NodeList
    ) -> None:
        self.group, self.accepted, self.otherwise = group, accepted, otherwise

    def render(self, context: Context) -> str:
        request = context.get("request")
        if request is None:
            return self.otherwise.render(context)
        setattr(request, VARY_ATTRIBUTE, True)
        ok = state.read(request).accepted(str(self.group.resolve(context)))
        return (self.accepted if ok else self.otherwise).render(context)


@register.tag
def ifconsent(parser: template.base.Parser, token: template.base.Token) -> IfConsentNode:
    """``{% ifconsent "analytics" %}…{% else %}…{% endifconsent %}``: server-side gating."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the cookie group.")
    group = parser.compile_filter(bits[1])
    accepted = parser.parse(("else", "endifconsent"))
    otherwise = template.NodeList()
    if parser.next_token().contents == "else":
        otherwise = parser.parse(("endifconsent",))
        parser.delete_first_token()
    return IfConsentNode(group, accepted, otherwise)


@register.tag
def language_switcher(parser: template.base.Parser, token: template.base.Token) -> CachedNode:
    """``{% language_switcher %}``: one button per language in ``LANGUAGES`` (nothing if the project
    offers one language), each changing the pages' language and coming back to the same page."""

    def render() -> str:
        from jsg_privacy.languages import offered

        languages = offered()
        if not languages:
            return ""
        current = (get_language() or settings.LANGUAGE_CODE).lower()
        return render_to_string(
            "jsg_privacy/elements/languages.html",
            {
                "languages": [
                    {"code": code, "name": name, "current": code.lower() == current}
                    for code, name in languages
                ],
                "action": reverse("jsg_privacy:language"),
                "hidden_fields": mark_safe(HIDDEN),  # noqa: S308 -- a placeholder, replaced per request
            },
        )

    return CachedNode("languages", render, _fill_hidden)
