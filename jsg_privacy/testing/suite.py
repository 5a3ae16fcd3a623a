"""The tests ``pytest --privacy-kit`` adds to a shop's run: one per rule of the kit."""

from __future__ import annotations

from typing import Any

import pytest

# The live server reads what the kit's setup committed: transactional, as for any live-server test.
pytestmark = [pytest.mark.privacy_kit, pytest.mark.django_db(transaction=True)]


def test_privacy_rule(privacy_rule: str, privacy_audit_report: Any) -> None:
    from jsg_privacy.testing.results import Status

    result = next(r for r in privacy_audit_report.results if r.rule == privacy_rule)
    if result.status == Status.SKIPPED:
        pytest.skip(f"{privacy_rule}: {result.reason}")
    if result.status == Status.FAIL:
        pytest.fail(f"{privacy_rule}: {result.reason}", pytrace=False)
