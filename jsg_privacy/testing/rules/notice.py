"""The privacy notice, as a visitor reads it, names everything Art. 13 asks for."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.urls import reverse

from jsg_privacy.notice import content
from jsg_privacy.registry import registry
from jsg_privacy.testing.results import CLIENT, Evidence, Findings, Result
from jsg_privacy.testing.rules.base import rule

if TYPE_CHECKING:
    from jsg_privacy.testing.audit import Audit


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@rule(
    "notice-complete",
    "The notice names everything Art. 13 asks for",
    law="UK GDPR Art. 13 and 14; ICO guidance on the right to be informed",
    checks="The notice page names the controller, every purpose with its lawful basis, every "
    "recipient, every transfer with its safeguard, retention, the rights, and the complaint route.",
)
def notice(audit: Audit) -> Result:
    findings = Findings("notice-complete", CLIENT)
    path = reverse("jsg_privacy:notice")
    page = audit.visitor().get(path)
    if not audit.looks_at(page, findings):
        return findings.result("")
    text = _plain(page.soup.get_text(" "))
    about = content.build(registry)
    wanted: list[tuple[str, str]] = []
    controller = about["controller"]
    if not controller["name"]:
        findings.problem('no controller name (JSG_PRIVACY_CONTROLLER["name"])')
    wanted += [("controller", controller["name"]), ("controller's contact", controller["email"])]
    for use in about["uses"]:
        wanted.append(("purpose", use["label"]))
        wanted.append((f"basis of {use['label']}", use["basis_label"]))
    for recipient in about["recipients"]:
        wanted.append(("recipient", recipient["name"]))
        wanted += [(f"member of {recipient['name']}", name) for name in recipient["members"]]
    for kept in about["kept"]:
        wanted.append(("retention", kept["period"]))
        if kept["on_erasure"]:
            wanted.append(("what erasure keeps", kept["on_erasure"]))
    for transfer in about["transfers"]:
        wanted.append(("transfer", transfer["name"]))
        wanted.append((f"safeguard for {transfer['name']}", transfer["safeguard_label"]))
    for right in about["rights"]:
        wanted.append(("right", right["label"]))
    wanted.append(("complaint route", about["supervisory_authority"].get("name", "")))
    rows = []
    for what, words in dict.fromkeys(wanted):
        if not words:
            findings.problem(f"the {what} is empty")
            continue
        findings.looked()
        shown = _plain(str(words)) in text
        rows.append({"what": what, "text": str(words)[:120], "shown": "yes" if shown else "NO"})
        if not shown:
            findings.problem(f"{path} does not name the {what}: {str(words)[:80]!r}")
    findings.add(Evidence(f"What {path} names", kind="table", rows=rows))
    return findings.result(f"{path} names all {findings.looked_at} things Art. 13 asks for.")
