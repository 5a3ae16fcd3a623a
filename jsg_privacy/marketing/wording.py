"""What each marketing box says, and the version hash of that wording.

A box is one choice a person can make: a marketing medium (e-mail, SMS, phone, post), passing their
details to partners (seed 000 §1.5), or publishing their testimonials (seed 000 §2.4.1). Its version
is a SHA-256 of the exact text shown with it, in the active language — the legend, the introduction,
its label and its help text — so changed wording is a new version in the ledger.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jsg_privacy import features
from jsg_privacy.conf import app_settings
from jsg_privacy.inventory import MARKETING_CONSENT, PARTNER_MARKETING, TESTIMONIALS

PARTNERS = "partners"
TESTIMONIAL = "testimonials"
ALL = "all"


@dataclass(frozen=True)
class Box:
    """One unticked box: ``name`` in forms, ``purpose`` and ``medium`` in the ledger."""

    name: str
    purpose: str
    medium: str
    label: str
    help_text: str
    version: str


def sender() -> str:
    return str(app_settings.CONTROLLER.get("name") or _("us"))


def legend() -> str:
    return _("Messages about our offers (optional)")


def intro() -> str:
    return _(
        "Nothing is ticked for you. Leave a box unticked and we will not contact you that way with "
        "marketing; messages about your orders still reach you. You can change your mind at any "
        "time in your account, or with the unsubscribe link in every e-mail."
    )


def returning_intro() -> str:
    """Above boxes that show a returning customer's current choices (some ticked)."""
    return _(
        "The ticked boxes are the ways you already agreed to hear about our offers. Leave a box "
        "ticked to keep hearing from us that way, or untick it and we will stop. Leave a box "
        "unticked and we will not contact you that way with marketing. Messages about your orders "
        "still reach you."
    )


def preferences_intro() -> str:
    return _(
        "Tick the ways you are happy for us to contact you with news and offers, untick any to "
        "stop. Messages about your orders reach you whatever you choose here."
    )


def _medium_label(medium: str) -> str:
    # Named for the channel, never like a cookie group ("Advertising cookies").
    labels = {
        "email": _("E-mails about offers"),
        "sms": _("Text messages about offers"),
        "phone": _("Phone calls about offers"),
        "post": _("Letters about offers"),
    }
    return labels.get(medium) or _("Offers by %(medium)s") % {"medium": medium}


def _medium_help(medium: str) -> str:
    texts = {
        "email": _("From %(sender)s to your e-mail address: new products, features and offers."),
        "sms": _(
            "From %(sender)s to your mobile phone number: new products, features and offers. "
            "Give your phone number to tick this box."
        ),
        "phone": _(
            "From %(sender)s to your phone number: new products, features and offers. Give your "
            "phone number to tick this box."
        ),
        "post": _("From %(sender)s to your address: new products, features and offers."),
    }
    text = texts.get(medium) or _("From %(sender)s: new products, features and offers.")
    return text % {"sender": sender()}


def _texts(name: str) -> tuple[str, str]:
    if name == PARTNERS:
        return (
            _("Pass my contact details to selected partners so they can send me their own offers"),
            _(
                "Selected suppliers from our group of companies and our channel partners. Each "
                "becomes responsible for your details under its own privacy policy, which it sends "
                "you when it first contacts you. Untick this in your account at any time and we stop "
                "passing your details on."
            ),
        )
    if name == TESTIMONIAL:
        return (
            _("You may publish my feedback as a testimonial"),
            _(
                "%(sender)s may quote what you tell us about our products and services, with your "
                "name, on our website and in our brochures. Untick this at any time and we will not "
                "use it in anything new."
            )
            % {"sender": sender()},
        )
    return _medium_label(name), _medium_help(name)


def version_of(*texts: str) -> str:
    """SHA-256 of the texts, canonically encoded."""
    canonical = json.dumps([str(t) for t in texts], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def box(
    name: str,
    overrides: Mapping[str, tuple[str, str]] | None = None,
    *,
    introduction: str | None = None,
) -> Box:
    """The box called ``name`` (a medium, ``"partners"`` or ``"testimonials"``), in the active language.

    ``overrides`` maps box names to ``(label, help_text)`` for a shop's own wording;
    ``introduction`` is the text shown above the boxes (default: :func:`intro`).
    """
    label, help_text = (overrides or {}).get(name) or _texts(name)
    label, help_text = str(label), str(help_text)
    if name == PARTNERS:
        purpose, medium = PARTNER_MARKETING, ""
    elif name == TESTIMONIAL:
        purpose, medium = TESTIMONIALS, ""
    else:
        purpose, medium = MARKETING_CONSENT, name
    shown_above = intro() if introduction is None else introduction
    version = version_of(legend(), shown_above, label, help_text)
    return Box(name, purpose, medium, label, help_text, version)


def media() -> tuple[str, ...]:
    """The marketing media offered (``JSG_PRIVACY_MARKETING_MEDIA``), in order, without repeats."""
    return tuple(dict.fromkeys(str(m) for m in app_settings.MARKETING_MEDIA))


def boxes(
    names: Iterable[str] | None = None,
    *,
    partners: bool = True,
    testimonials: bool = False,
    overrides: Mapping[str, tuple[str, str]] | None = None,
    introduction: str | None = None,
) -> list[Box]:
    """The boxes to offer: each medium (default: every configured medium), then the others.

    The partners and testimonials boxes are offered only while the shop has them switched on
    (``JSG_PRIVACY_MARKETING_PARTNERS``, ``JSG_PRIVACY_MARKETING_TESTIMONIALS``): ``partners`` and
    ``testimonials`` say whether this form asks for them then.
    """
    chosen = list(media() if names is None else names)
    if partners and features.partner_marketing():
        chosen.append(PARTNERS)
    if testimonials and features.testimonials():
        chosen.append(TESTIMONIAL)
    return [box(name, overrides, introduction=introduction) for name in dict.fromkeys(chosen)]


def box_for(purpose: str, medium: str) -> str:
    """The box name of a (purpose, medium) pair, as stored in the state table."""
    if purpose == PARTNER_MARKETING:
        return PARTNERS
    if purpose == TESTIMONIALS:
        return TESTIMONIAL
    return medium


def unsubscribe_text(medium: str) -> tuple[str, str]:
    """The heading and explanation of the unsubscribe page, for ``medium`` or ``"all"``."""
    if medium == ALL:
        if features.partner_marketing():
            text = _(
                "We will stop sending you news and offers by e-mail, text message, phone and post, "
                "and stop passing your details to partners. Messages about your orders still "
                "reach you."
            )
        else:
            text = _(
                "We will stop sending you news and offers by e-mail, text message, phone and post. "
                "Messages about your orders still reach you."
            )
        return _("Stop all marketing from %(sender)s?") % {"sender": sender()}, text
    nouns = {
        "email": _("marketing e-mails"),
        "sms": _("marketing text messages"),
        "phone": _("marketing phone calls"),
        "post": _("marketing by post"),
    }
    return (
        _("Unsubscribe from %(what)s?")
        % {"what": nouns.get(medium) or _("marketing by %(medium)s") % {"medium": medium}},
        _(
            "We will not contact you this way with news and offers again unless you opt in again. "
            "Messages about your orders still reach you."
        ),
    )
