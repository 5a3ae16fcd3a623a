"""Template helpers of the privacy notice: the signed token of an "Object" button."""

from __future__ import annotations

from django import template

from jsg_privacy.consent import groups, objection

register = template.Library()


@register.simple_tag
def objection_token(key: str) -> str:
    """The token of the notice's "Object" button for cookie group ``key`` ("" if none)."""
    found = groups.by_key().get(key)
    return objection.token_for(found) if found is not None and found.is_exception else ""
