"""What the kit reads in a page's HTML: the banner's forms, links, tags that load from elsewhere, and
ticked boxes. BeautifulSoup with the standard library's parser, so nothing needs compiling."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from django.urls import reverse

#: A checkbox (or a yes radio) named, labelled or valued like any of these asks for consent.
CONSENT_WORDS = re.compile(
    r"consent|marketing|newsletter|subscri|offer|partner|promot|opt|agree|accept|cookie|"
    r"analytic|advert|track|groups?\b|channel|e-?mail|sms|text message|post\b|phone|news",
    re.IGNORECASE,
)
YES_VALUES = {"yes", "y", "1", "true", "on", "accept", "agree"}


def action_path(form: Any, page_path: str) -> str:
    action = str(form.get("action") or page_path)
    return urllib.parse.urlsplit(urllib.parse.urljoin(page_path, action)).path


def form_posting_to(soup: Any, path: str, page_path: str) -> Any | None:
    """The first ``<form method="post">`` of the page whose action is ``path``."""
    for form in soup.find_all("form"):
        if (
            str(form.get("method", "get")).lower() == "post"
            and action_path(form, page_path) == path
        ):
            return form
    return None


def banner_urls() -> dict[str, str]:
    return {
        "accept": reverse("jsg_privacy:cookies-accept"),
        "decline": reverse("jsg_privacy:cookies-decline"),
        "save": reverse("jsg_privacy:cookies-save"),
        "settings": reverse("jsg_privacy:cookies"),
    }


def settings_links(soup: Any, page_path: str) -> list[Any]:
    """Links (or buttons) that open the privacy settings: to the cookie settings page, or marked
    ``data-jsg-cb-open`` as ``{% privacy_settings_link %}`` renders them."""
    target = banner_urls()["settings"]
    found = []
    for element in soup.find_all(["a", "button"]):
        href = element.get("href")
        if element.has_attr("data-jsg-cb-open") or (
            href and urllib.parse.urlsplit(urllib.parse.urljoin(page_path, href)).path == target
        ):
            found.append(element)
    return found


def third_party(soup: Any, host: str, allowed: Any = ()) -> list[str]:
    """``<tag> url`` for every script, image, frame or stylesheet loaded from another host; scripts
    held inert (``type="text/plain"``, as ``{% consent_script %}`` writes them) and hosts in
    ``allowed`` (the shop's ``third_parties``, each with its reason) do not count."""
    found = []
    for tag, attribute in (
        ("script", "src"),
        ("img", "src"),
        ("iframe", "src"),
        ("link", "href"),
        ("source", "src"),
        ("video", "src"),
        ("audio", "src"),
        ("embed", "src"),
    ):
        for element in soup.find_all(tag):
            url = element.get(attribute)
            if not url:
                continue
            if tag == "script" and str(element.get("type", "")).lower() == "text/plain":
                continue
            if tag == "link" and not {"stylesheet", "preload", "prefetch", "icon"} & set(
                element.get("rel") or []
            ):
                continue
            netloc = urllib.parse.urlsplit(urllib.parse.urljoin(f"http://{host}/", url)).netloc
            if netloc and netloc != host and netloc not in allowed:
                found.append(f"<{tag}> {url}")
    return found


def label_text(soup: Any, element: Any) -> str:
    """The words a person reads for a form control: its label(s), or the text around it."""
    texts = []
    ident = element.get("id")
    if ident:
        texts += [
            label.get_text(" ", strip=True)
            for label in soup.find_all("label", attrs={"for": ident})
        ]
    parent = element.find_parent("label")
    if parent is not None:
        texts.append(parent.get_text(" ", strip=True))
    if not texts and element.parent is not None:
        texts.append(element.parent.get_text(" ", strip=True)[:200])
    return " ".join(texts)


def ticked_consent_boxes(soup: Any, ignore: tuple[str, ...] = ()) -> list[str]:
    """Checkboxes (and yes radios) ticked before the visitor did anything that ask for consent:
    ``name="…" ("label")`` for each."""
    found = []
    for element in soup.find_all("input"):
        kind = str(element.get("type", "text")).lower()
        if kind not in ("checkbox", "radio") or not element.has_attr("checked"):
            continue
        if element.has_attr("disabled"):
            continue  # shown as always on (strictly necessary cookies): no choice to make
        value = str(element.get("value", "on"))
        if kind == "radio" and value.lower() not in YES_VALUES:
            continue
        name = str(element.get("name", ""))
        label = label_text(soup, element)
        words = " ".join([name, str(element.get("id", "")), value, label])
        if any(word and word.lower() in words.lower() for word in ignore):
            continue
        if CONSENT_WORDS.search(words):
            found.append(f'name="{name}" ("{label[:80]}")')
    return found
