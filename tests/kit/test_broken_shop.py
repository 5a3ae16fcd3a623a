"""A shop that breaks the rules on purpose (tests/kit/broken_shop/settings.py says how), run the
way a host shop runs the kit: its own pytest, with the plugin found through its entry point and
switched on by ``--privacy-kit``. Every rule it breaks fails with a reason that says what and
where; without the option the plugin adds nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOP = "tests/kit/broken_shop"

pytestmark = [pytest.mark.browser, pytest.mark.privacy_kit]

#: rule -> what its failure must say.
BROKEN = {
    "no-tracking-before-choice": [
        "/: loads <img> https://pixel.tracker.example/p.gif from another site",
        "/: cookie _adclick (needs consent: marketing)",
        "/: storage key _adclick (needs consent: marketing)",
    ],
    "no-tracking-after-refusal": [
        "after Reject all, /: cookie _adclick (needs consent: marketing)"
    ],
    "accept-reject-alike": ["fontSize differs: accept 16px, reject 11px", "height differs"],
    "closing-is-not-consent": ["closing the banner counted as accepting analytics, marketing"],
    "one-choice-per-purpose": ['one switch (name="all") covers several purposes'],
    "no-preticked-consent": [
        '/sign-up/: a consent box is ticked already: name="newsletter" ("Send me offers by e-mail")'
    ],
    "settings-link-everywhere": ["/news/: no link to the privacy settings"],
    "withdraw-in-one-action": ["after withdrawing, still held: _adclick"],
    "gpc-honoured": ["the consent cookie does not record the GPC signal", "not refused: marketing"],
    "card-number-refused": [
        "GET with ?note=<card> to /news/ answered 200, not 400: no card-data guard refused"
    ],
    "models-declared": ["broken_shop.NewsletterSignup holds personal-looking data"],
    "erasure-leaves-held-only": [
        "broken_shop.Note row",
        "body still holds its value after erasure",
    ],
    "notice-complete": ['no controller name (JSG_PRIVACY_CONTROLLER["name"])'],
}
#: Not breakable by a shop's own code and settings; their failures are shown in test_audit.py.
PASSING = {"export-complete", "deadlines-calendar-month"}


def pytest_run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        # Its own database, whatever this run uses: never the test database of this session.
        "DATABASE_URL": "sqlite:///:memory:",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.run(  # noqa: S603 -- this interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "pytest",
            "--ds",
            "tests.kit.broken_shop.settings",
            "-p",
            "no:cacheprovider",
            *args,
            SHOP,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_broken_shop_fails_each_rule_it_breaks_with_a_clear_reason(chromium_path, tmp_path):
    junit = tmp_path / "kit.xml"
    done = pytest_run(
        "--privacy-kit", f"--junitxml={junit}", f"--privacy-kit-report={tmp_path / 'broken.html'}"
    )
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]

    outcomes = {}
    for case in ET.parse(junit).getroot().iter("testcase"):  # noqa: S314 -- written just now
        rule = case.get("name", "").removeprefix("test_privacy_rule[").removesuffix("]")
        failure = case.find("failure")
        outcomes[rule] = failure.get("message", "") if failure is not None else "passed"
    assert set(outcomes) == set(BROKEN) | PASSING
    for rule, expected in BROKEN.items():
        for words in expected:
            assert words in outcomes[rule], f"{rule}: {outcomes[rule]}"
    for rule in PASSING:
        assert outcomes[rule] == "passed"

    html = (tmp_path / "broken.html").read_text()
    assert '<span class="status">fail</span>' in html
    assert "pixel.tracker.example" in html


def test_the_plugin_adds_nothing_unless_asked():
    """Installed (its entry point loads it in every run), the plugin adds no test by itself; with
    --privacy-kit it adds the 15 above."""
    done = pytest_run("--collect-only", "-q")
    assert "no tests collected" in done.stdout, done.stdout[-2000:]


def test_a_host_shop_adds_the_kit_in_a_few_lines_of_its_own_pytest_configuration(tmp_path):
    """Outside this repository's pytest configuration: a project with its own pytest.ini, whose
    settings are the example shop's; without chromium (a path that does not exist) the browser's
    rules are skipped and the run still passes."""
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nDJANGO_SETTINGS_MODULE = host_settings\naddopts = --privacy-kit -p no:cacheprovider\n"
    )
    (tmp_path / "host_settings.py").write_text(
        "from tests.settings import *  # noqa: F403\n"
        'JSG_PRIVACY_KIT = {**JSG_PRIVACY_KIT, "chromium": "/nonexistent/chromium"}  # noqa: F405\n'
    )
    # This run's own settings module must not leak in (pytest-django prefers the environment).
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-q"],
        cwd=tmp_path,
        env={**env, "DATABASE_URL": "sqlite:///:memory:", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "10 passed, 5 skipped" in done.stdout
    assert "Needs a browser; skipped because the configured chromium '/nonexistent/chromium'" in (
        done.stdout
    )
