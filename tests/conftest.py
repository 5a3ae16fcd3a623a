"""Fixtures shared by the whole suite. Feature fixtures live beside their tests."""

import pytest


@pytest.fixture(autouse=True)
def erasure_journal(settings, tmp_path):
    """Every erasure in the suite is also journalled outside the database, as production should
    be: a journal of the test's own, so one test's erasures never reach another's replay."""
    settings.JSG_PRIVACY_ERASURE_JOURNAL = str(tmp_path / "erasures.jsonl")
    return tmp_path / "erasures.jsonl"


@pytest.fixture(autouse=True)
def _forget_ledger_checkpoints():
    """The consent ledger's checkpoints live outside the database (an in-memory storage here), so
    a test's database is rolled back but its checkpoints would stay: empty them after each test."""
    yield
    from jsg_privacy.consent import checkpoints

    try:
        chosen = checkpoints.storage()
    except Exception:  # a test that changed the settings under it
        return
    for name in checkpoints.names():
        chosen.delete(name)


@pytest.fixture(autouse=True)
def _forget_usage_events():
    """Page views wait in the usage buffer until written: drop what a test left unwritten, so it
    never reaches another test's database."""
    yield
    from jsg_privacy.usage import buffer

    buffer.writer.buffer = None
