"""Django's ``{# #}`` comments end at the line's end: one left open is shown on the page."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(
    path
    for folder in ("jsg_privacy/templates", "example_shop/templates", "tests_oscar/templates")
    for path in (ROOT / folder).rglob("*")
    if path.suffix in {".html", ".txt"}
)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_comment_runs_over_a_line(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        opened = line.rfind("{#")
        assert opened == -1 or "#}" in line[opened:], f"{path.name}:{number}: {{# without #}}"
