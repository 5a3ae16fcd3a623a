"""``make saleor-app`` serves the example shop as a Saleor App, wired as docs/saleor.md says."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from jsg_privacy.integrations.saleor.conf import SaleorSettings

ROOT = Path(__file__).parents[3]
DOCS = (ROOT / "docs" / "saleor.md").read_text(encoding="utf-8")


SCRIPT = """
import json
from django.core.management import call_command
from django.test import Client
call_command("check", fail_level="ERROR")
manifest = Client().get("/privacy/saleor/manifest/", HTTP_SALEOR_SCHEMA_VERSION="3.23").json()
choices = Client().get("/privacy/saleor/choices/")
preflight = Client().options(
    "/privacy/storefront/choices/", HTTP_ORIGIN="http://127.0.0.1:3000"
)
page = Client().get("/privacy/saleor/dashboard/")
print(json.dumps({
    "manifest": manifest,
    "dashboard": [page.status_code, page.has_header("X-Frame-Options")],
    "cases": Client().get("/privacy/saleor/dashboard/cases/").status_code,
    "choices": choices.status_code,
    "preflight": preflight.status_code,
}))
"""


def test_the_saleor_settings_module_serves_the_manifest_and_the_storefront_api(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_shop.settings_saleor",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SALEOR_API_URL": "http://127.0.0.1:8001/graphql/",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    done = subprocess.run(  # noqa: S603 -- a fixed command
        [sys.executable, "manage.py", "shell", "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    (webhook,) = answer["manifest"]["webhooks"]
    assert webhook["targetUrl"] == "http://127.0.0.1:8000/privacy/saleor/webhooks/"
    assert answer["manifest"]["tokenTargetUrl"] == "http://127.0.0.1:8000/privacy/saleor/register/"
    assert answer["choices"] == 200
    assert answer["manifest"]["appUrl"] == "http://127.0.0.1:8000/privacy/saleor/dashboard/"
    assert answer["dashboard"] == [200, False]  # the dashboard may frame it
    assert answer["cases"] == 401  # without the staff member's app-bridge token
    assert answer["preflight"] == 204  # the default storefront origin is allowed


def test_the_make_target_uses_the_settings_module():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert (
        "saleor-app:\n\tDJANGO_SETTINGS_MODULE=example_shop.settings_saleor $(MAKE) demo"
        in makefile
    )
    assert "make saleor-app" in DOCS


def test_the_install_steps_match_the_wired_example():
    """Steps 2-4 of docs/saleor.md are what example_shop/settings_saleor.py and urls_saleor.py do."""
    settings_module = (ROOT / "example_shop" / "settings_saleor.py").read_text(encoding="utf-8")
    urls = (ROOT / "example_shop" / "urls_saleor.py").read_text(encoding="utf-8")
    assert '"jsg_privacy.integrations.saleor",' in DOCS
    assert '"jsg_privacy.integrations.saleor"' in settings_module
    assert 'path("privacy/", include("jsg_privacy.integrations.saleor.urls")),' in DOCS
    assert 'path("privacy/", include("jsg_privacy.integrations.saleor.urls")),' in urls
    step4 = DOCS[DOCS.index("4. Allow your store") : DOCS.index("5. Create the tables")]
    named = set(re.findall(r"\b(JSG_PRIVACY_SALEOR_[A-Z_]+)\s*=", step4))
    declared = {s.setting_name for s in SaleorSettings.declared().values()}
    assert named
    assert named <= declared
    assert named <= set(re.findall(r"\b(JSG_PRIVACY_SALEOR_[A-Z_]+)\s*=", settings_module)) | {
        "JSG_PRIVACY_SALEOR_INBOX_URL"  # production only: the example runs its tasks inline
    }
    assert 'os.environ["JSG_PRIVACY_ENCRYPTION_KEYS"]' in step4  # what the shop reads
