"""jsg_privacy's layers (../shared/DESIGN.md, "Where things live"): a lower layer never imports a
higher one. Bottom up: crypto → registry → consent / marketing / flows / retention / payments →
requests / notice pages / storefront → integrations, contrib, testing. A feature that must tell
others what happened sends a signal instead of calling up.

Every import counts, including those inside functions (a lazy import is still a dependency); only
``if TYPE_CHECKING:`` blocks (annotations) do not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jsg_privacy

PACKAGE = Path(jsg_privacy.__file__).parent

#: The layer of each sub-package (or module), by dotted name below ``jsg_privacy``; the most
#: specific name wins. The app's glue modules (apps, admin, urls, checks, tasks, templatetags,
#: management commands, models, privacy) wire every layer together and are not listed.
LAYERS = {
    "conf": 0,
    "signals": 0,
    "crypto": 1,
    "registry": 2,
    "inventory": 2,
    "features": 2,
    "consent": 3,
    "marketing": 3,
    "flows": 3,
    "retention": 3,
    "payments": 3,
    "usage": 3,
    "notifiers": 3,
    # The notice is built from the declarations alone; exports and the ledger cite its text.
    "notice.content": 3,
    "notice.plain": 3,
    "notice.rights": 3,
    "notice.record": 3,
    "notice.versions": 3,
    "notice": 4,
    "requests": 4,
    "audit": 4,
    "storefront": 4,
    "integrations": 5,
    "contrib": 5,
    "testing": 5,
}
#: Modules every layer may import (system checks read the whole app; Django runs them).
GLUE = {"checks", "admin", "apps", "urls"}
#: Known exceptions, each with its reason. Adding one needs a reason a reviewer accepts.
ALLOWED = {
    (
        "marketing.views",
        "requests.identity",
    ): "the preferences page shows choices made under an address only once the account has "
    "proven it: a page above both layers",
}


def layer_of(dotted: str) -> int | None:
    parts = dotted.split(".")
    for size in range(len(parts), 0, -1):
        name = ".".join(parts[:size])
        if name in LAYERS:
            return LAYERS[name]
    return None


def is_glue(dotted: str) -> bool:
    return bool(GLUE & set(dotted.split(".")))


def imports_of(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("jsg_privacy")
        ):
            # ``from jsg_privacy.notice import content``: the module imported is notice.content
            found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names if a.name.startswith("jsg_"))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).with_suffix("")
        if "migrations" in relative.parts:
            continue
        module = ".".join(p for p in relative.parts if p != "__init__")
        own = layer_of(module)
        if own is None or is_glue(module):
            continue
        for line, imported in imports_of(ast.parse(path.read_text(), str(path))):
            target = imported.removeprefix("jsg_privacy.")
            other = layer_of(target)
            if other is None or other <= own or is_glue(target):
                continue
            if any(module.startswith(low) and target.startswith(high) for low, high in ALLOWED):
                continue
            found.append(f"jsg_privacy/{relative}.py:{line} ({own}) imports {imported} ({other})")
    return found


def test_no_layer_imports_a_higher_one():
    assert violations() == []


def test_the_check_finds_an_import_running_up(tmp_path, monkeypatch):
    """The test above can fail: a crypto module importing the requests layer is reported."""
    fake = tmp_path / "jsg_privacy"
    (fake / "crypto").mkdir(parents=True)
    (fake / "crypto" / "__init__.py").write_text("")
    (fake / "crypto" / "bad.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from jsg_privacy.requests import cases  # annotations only\n"
        "def f():\n    from jsg_privacy.requests.models import Case\n    return Case\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake)
    assert violations() == [
        "jsg_privacy/crypto/bad.py:5 (1) imports jsg_privacy.requests.models.Case (4)"
    ]
