"""The compliance kit's tests share the browser tests' rule: chromium is required in CI."""

from tests.browser.conftest import chromium_path  # noqa: F401 -- the fixture, shared
