"""Names that moved between layers still import from where they were, with a warning."""

import importlib
import sys

import pytest


def test_the_old_subject_keys_module_warns_and_gives_the_same_functions():
    from jsg_privacy.crypto import subjects

    sys.modules.pop("jsg_privacy.consent.subjects", None)
    with pytest.warns(DeprecationWarning, match="jsg_privacy.crypto.subjects"):
        old = importlib.import_module("jsg_privacy.consent.subjects")
    assert old.for_email is subjects.for_email
    assert old.keys_for is subjects.keys_for
