"""Checks of the Oscar integration (ids ``jsg_privacy_oscar.W001``…; see docs/oscar.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Warning, register
from django.template import TemplateDoesNotExist, engines
from django.template.loader_tags import ExtendsNode

#: The tags Oscar's base template needs for the cookie banner.
TAGS = ("consent_head", "consent_banner")


def _sources(name: str) -> list[str]:
    """The source of the template ``name`` and of each same-named template it extends."""
    found: list[str] = []
    for engine in engines.all():
        backend = getattr(engine, "engine", None)
        if backend is None:
            continue  # not the Django template language
        skip: list[Any] = []
        while True:
            try:
                template, origin = backend.find_template(name, skip=skip)
            except TemplateDoesNotExist:
                break
            found.append(template.source)
            nodes = template.nodelist.get_nodes_by_type(ExtendsNode)
            if not nodes or nodes[0].parent_name.resolve({}) != name:
                break
            skip.append(origin)
    return found


@register("jsg_privacy")
def check_banner_in_oscar(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """W001: Oscar's pages would show no cookie banner."""
    sources = _sources("oscar/base.html")
    if not sources or all(tag in "".join(sources) for tag in TAGS):
        return []
    return [
        Warning(
            "Oscar's pages have no cookie banner: oscar/base.html does not use "
            "{% consent_head %} and {% consent_banner %}.",
            hint='List "jsg_privacy.contrib.oscar" before "jsg_privacy" and Oscar\'s apps in '
            "INSTALLED_APPS, so its oscar/base.html is used; if your project overrides "
            "oscar/base.html, add both tags to it (docs/oscar.md).",
            id="jsg_privacy_oscar.W001",
        )
    ]
