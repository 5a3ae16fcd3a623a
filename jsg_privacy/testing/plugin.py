"""The compliance kit as a pytest plugin (entry point ``pytest11``; ``pip install
"jsg-privacy[testing]"``). Installed, it does nothing until asked:

- ``pytest --privacy-kit`` (or ``addopts = "--privacy-kit"`` in the shop's pytest configuration)
  adds one test per rule, marked ``privacy_kit``, that runs against the shop's own pages on
  pytest-django's live server, in chromium when it is installed;
- the ``privacy_audit_report`` fixture gives the whole :class:`~jsg_privacy.testing.audit.Report`
  to a test of the shop's own (mark it ``privacy_kit``).

The audit runs once per session, configured by ``JSG_PRIVACY_KIT`` (docs/compliance-kit.md). A rule
that fails fails its test with the reason; a rule that could not be checked is skipped with why;
one the shop marked not applicable passes and says so.

Nothing here imports Django at import time: pytest loads plugins before pytest-django sets it up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jsg_privacy.testing.results import RULE_IDS

SUITE = Path(__file__).with_name("suite.py")
REPORT_KEY = pytest.StashKey[dict[str, Any]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("jsg_privacy", "jsg_privacy's compliance kit")
    group.addoption(
        "--privacy-kit",
        action="store_true",
        default=False,
        help="Run jsg_privacy's compliance rules against this shop (configured by JSG_PRIVACY_KIT).",
    )
    group.addoption(
        "--privacy-kit-report",
        default="",
        metavar="PATH",
        help="Also write the kit's HTML report (and its JSON beside it) to PATH.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "privacy_kit: a rule of jsg_privacy's compliance kit (pytest --privacy-kit)"
    )
    config.stash[REPORT_KEY] = {}


@pytest.hookimpl(tryfirst=True)  # before -m and -k deselect: the kit's tests can be selected too
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    if not config.getoption("privacy_kit"):
        return
    module = pytest.Module.from_parent(session, path=SUITE)
    items.extend(session.genitems(module))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "privacy_rule" in metafunc.fixturenames:
        metafunc.parametrize("privacy_rule", RULE_IDS, ids=RULE_IDS)


@pytest.fixture
def privacy_audit_report(request: pytest.FixtureRequest) -> Any:
    """The audit of this shop, run once per session against the live server (and chromium)."""
    cache = request.config.stash[REPORT_KEY]
    if "report" not in cache:
        request.getfixturevalue("transactional_db")
        live_server = request.getfixturevalue("live_server")
        from jsg_privacy.testing.audit import Audit
        from jsg_privacy.testing.config import KitConfig

        config = KitConfig.from_settings()
        if config.setup is not None:
            config.setup()
        cache["report"] = Audit(config, base_url=live_server.url).run()
        output = request.config.getoption("privacy_kit_report")
        if output:
            from jsg_privacy.testing.report import write

            write(cache["report"], Path(output))
    return cache["report"]
