"""docs/compliance-kit.md stays true: its set-up fits in ten lines and is a configuration the kit
accepts, and its table lists every rule with the source the reports give."""

from __future__ import annotations

import re
from pathlib import Path

from jsg_privacy.testing.config import KEYS
from jsg_privacy.testing.rules import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "compliance-kit.md"


def section(title: str) -> str:
    text = DOC.read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_the_setup_fits_in_ten_lines_and_is_a_configuration_the_kit_accepts():
    setup = section("Add it to your CI in under ten lines")
    blocks = re.findall(r"```(\w+)\n(.*?)```", setup, re.S)
    install = next(code for lang, code in blocks if lang == "sh")
    settings_code = next(code for lang, code in blocks if lang == "python")
    assert 'pip install "jsg-privacy[testing]"' in install
    assert 'addopts = "--privacy-kit"' in setup
    lines = [*install.strip().splitlines(), *settings_code.strip().splitlines(), "addopts"]
    assert len(lines) < 10
    namespace: dict[str, object] = {}
    exec(settings_code, namespace)  # noqa: S102 -- the documentation's own example
    kit = namespace["JSG_PRIVACY_KIT"]
    assert isinstance(kit, dict)
    assert set(kit) <= KEYS


def test_every_key_and_every_rule_is_documented_with_its_source():
    configuration = section("Add it to your CI in under ten lines")
    for key in KEYS:
        assert f"| `{key}` |" in configuration, key
    table = section("The rules")
    rows = {
        cells[0].strip("` "): [cell.strip() for cell in cells]
        for line in table.splitlines()
        if line.startswith("| `")
        for cells in [line.strip("|").split(" | ")]
    }
    assert list(rows) == [rule.id for rule in RULES]
    for rule in RULES:
        assert rows[rule.id][2] == rule.law, rule.id
