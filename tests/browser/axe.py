"""axe-core in the browser tests: run the npm package inside a page and keep what blocks people.

``make test`` installs axe-core from ``package-lock.json`` (``npm ci``). Without it the accessibility
checks skip, or fail where browser tests are required (CI).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def axe_script() -> Path:
    """The path of ``axe.min.js``; skip the test (fail in CI) when npm has not installed it."""
    if not AXE_JS.is_file():
        reason = f"axe-core is not installed ({AXE_JS} is missing): run `make test` or `npm ci`"
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return AXE_JS


def blocking_violations(page: Any, context: dict[str, list[str]] | None = None) -> list[dict]:
    """Serious and critical axe violations on ``page`` (or inside ``context``: include/exclude)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_script()))
    results = page.evaluate(
        "(context) => axe.run(context || document, {resultTypes: ['violations']})", context
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [" ".join(map(str, node["target"])) for node in violation["nodes"]],
        }
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
    ]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'])}" for v in violations
    )
