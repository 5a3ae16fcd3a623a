"""The audit's report: JSON for machines, one self-contained HTML page for a person (a DPO)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from jsg_privacy.testing.audit import Report
from jsg_privacy.testing.results import PROBLEMS
from jsg_privacy.testing.rules import RULES

FORMAT = "jsg_privacy.audit/1"


def as_json(report: Report) -> dict[str, Any]:
    rules = {rule.id: rule for rule in RULES}
    return {
        "format": FORMAT,
        "target": report.target,
        "started": report.started.isoformat(),
        "browser": report.browser,
        "pages": report.pages,
        "counts": report.counts(),
        "results": [
            {
                "rule": result.rule,
                "title": rules[result.rule].title,
                "law": rules[result.rule].law,
                "checks": rules[result.rule].checks,
                "status": result.status.value,
                "reason": result.reason,
                "checked_with": result.checked_with,
                "evidence": [evidence.as_json() for evidence in result.evidence],
            }
            for result in report.results
        ],
    }


def as_html(report: Report) -> str:
    rules = {rule.id: rule for rule in RULES}
    results = []
    for result in report.results:
        evidence = []
        for item in result.evidence:
            columns = list(dict.fromkeys(k for row in item.rows for k in row))
            evidence.append(
                {
                    "item": item,
                    "columns": columns,
                    "rows": [[row.get(c, "") for c in columns] for row in item.rows],
                    "image": base64.b64encode(item.image).decode() if item.image else "",
                }
            )
        listed = (
            result.evidence[0].items
            if result.evidence and result.evidence[0].label == (PROBLEMS)
            else []
        )
        summary = (
            f"{len(listed)} problem{'s' if len(listed) != 1 else ''} found, listed below."
            if listed
            else result.reason
        )
        results.append(
            {
                "result": result,
                "rule": rules[result.rule],
                "evidence": evidence,
                "summary": summary,
            }
        )
    return render_to_string(
        "jsg_privacy/testing/report.html",
        {
            "report": report,
            "results": results,
            "counts": {k.replace(" ", "_"): v for k, v in report.counts().items()},
        },
    )


def write(report: Report, output: Path) -> list[Path]:
    """Write ``output`` (``.html`` or ``.json``) and its sibling in the other format."""
    html_path = output if output.suffix != ".json" else output.with_suffix(".html")
    json_path = output.with_suffix(".json") if output.suffix != ".json" else output
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(as_html(report), encoding="utf-8")
    json_path.write_text(
        json.dumps(as_json(report), indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return [html_path, json_path]
