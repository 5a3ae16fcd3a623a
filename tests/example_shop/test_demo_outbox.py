"""`make demo` keeps every e-mail in the local outbox folder the README names."""

import importlib

import django
import pytest
from django.utils import timezone

from jsg_privacy.requests import acknowledgements, cases

pytestmark = pytest.mark.django_db


def test_the_demo_writes_a_request_acknowledgement_into_its_outbox(tmp_path, monkeypatch, settings):
    monkeypatch.setenv("DJANGO_EMAIL_OUTBOX", str(tmp_path / "outbox"))
    demo = importlib.reload(importlib.import_module("example_shop.settings"))
    if django.VERSION >= (6, 1):
        settings.MAILERS = demo.MAILERS
    else:
        settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH = demo.EMAIL_BACKEND, demo.EMAIL_FILE_PATH
    case = cases.open_case(kind="erasure", email="ann@example.com", channel="letter")
    case.due_on = timezone.localdate()

    assert acknowledgements.acknowledge(case)

    (sent,) = (tmp_path / "outbox").iterdir()
    assert f"We have your data request {case.reference}" in sent.read_text()
    readme = (demo.BASE_DIR / "README.md").read_text()
    assert "var/outbox/" in readme
    assert "DJANGO_EMAIL_OUTBOX" in readme
