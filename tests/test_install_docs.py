"""docs/installation.md, followed block by block on a new Django project that already holds
personal data: ``migrate`` and ``check`` work after every step, the drafted declarations leave only
their to-dos, and once those are decided the strict check is clean and the pages work.

It builds its own project with its own SQLite database, in a subprocess per command, so it runs in
the SQLite configuration of the suite only.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="builds a project of its own on SQLite: run in the SQLite configuration",
)

DOCS = Path(__file__).resolve().parents[1] / "docs" / "installation.md"
STEP = re.compile(r"<!-- install-step: (\w+) -->\s*```\w*\n(.*?)```", re.S)

MODELS = """
from django.conf import settings
from django.db import models


class Customer(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=100)
    phone = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Order(models.Model):
    customer = models.ForeignKey(Customer, null=True, on_delete=models.SET_NULL)
    guest_email = models.EmailField(blank=True)
    delivery_line1 = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10)
    total = models.DecimalField(max_digits=9, decimal_places=2)
    placed_at = models.DateTimeField(auto_now_add=True)
"""
VIEWS = """
from django.shortcuts import render


def home(request):
    return render(request, "base.html")
"""


def steps():
    found = STEP.findall(DOCS.read_text(encoding="utf-8"))
    assert found, "docs/installation.md has no install-step blocks"
    return found


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mysite.settings",
            "PYTHONPATH": str(root),
            "EXPORTS_DIR": str(root.parent / "exports"),  # outside the project, as the docs say
        }
        self.env.pop("DATABASE_URL", None)

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(  # noqa: S603 -- our own interpreter, fixed arguments
            [sys.executable, *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if ok:
            assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
        return result

    def manage(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        return self.run("manage.py", *args, ok=ok)

    def append(self, relative: str, code: str) -> None:
        path = self.root / relative
        path.write_text(path.read_text() + "\n" + code + "\n")


@pytest.fixture
def project(tmp_path):
    """A new project with an app of its own that holds personal data, migrated without jsg_privacy."""
    site = Project(tmp_path)
    site.run("-m", "django", "startproject", "mysite", str(tmp_path))
    site.manage("startapp", "shop")
    (tmp_path / "shop" / "models.py").write_text(MODELS)
    (tmp_path / "shop" / "views.py").write_text(VIEWS)
    (tmp_path / "templates").mkdir()
    site.append(
        "mysite/settings.py",
        'INSTALLED_APPS += ["shop"]\nTEMPLATES[0]["DIRS"] = [BASE_DIR / "templates"]',
    )
    site.append(
        "mysite/urls.py",
        'from shop.views import home\nurlpatterns += [path("", home)]',
    )
    (tmp_path / "templates" / "base.html").write_text("<html><body>A shop</body></html>")
    site.manage("makemigrations", "shop")
    site.manage("migrate")
    return site


def test_a_shop_installs_jsg_privacy_by_the_docs_without_ever_being_blocked(project):
    for kind, code in steps():
        if kind == "settings":
            project.append("mysite/settings.py", code)
        elif kind == "urls":
            project.append("mysite/urls.py", code)
        elif kind == "template":
            (project.root / "templates" / "base.html").write_text(
                code.replace("<head>", "<!DOCTYPE html><html><head>") + "</html>"
            )
        elif kind == "shell":
            for line in code.strip().splitlines():
                args = line.split("#")[0].split()
                assert args[:2] == ["python", "manage.py"], line
                project.manage(*args[2:])
        else:
            pytest.fail(f"unknown install-step kind {kind!r}")
        if "JSG_PRIVACY_STRICT = True" in code:
            break
        # Never blocked: Django runs the checks before migrate and runserver.
        project.manage("migrate")
        project.manage("check")

    drafted = project.root / "mysite" / "privacy.py"
    strict = project.manage("check", ok=False)
    assert strict.returncode != 0  # the draft's open decisions are errors once strict
    reported = set(re.findall(r"\(jsg_privacy\.([EW]\d+)\)", strict.stderr + strict.stdout))
    assert {i for i in reported if i.startswith("E")} == {"E020"}, strict.stderr
    for label in ("'shop.Customer'", "'shop.Order'", "'auth.User'"):
        assert label in drafted.read_text()

    # The shop decides every to-do (here: accepts each guess) and deletes it.
    text = re.sub(r"\n    todo = \[\n(?:        .*\n)*?    \]\n", "\n", drafted.read_text())
    drafted.write_text(text)
    project.manage("check", "--fail-level", "ERROR")

    pages = project.run(
        "-c",
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='localhost')\n"
        "home = c.get('/')\n"
        "notice = c.get('/privacy/notice/')\n"
        "print(home.status_code, notice.status_code)\n"
        "print('/privacy/cookies/' in home.text and '/privacy/requests/' in home.text)\n"
        "print('postcode' in notice.text.lower())\n",
    )
    assert pages.stdout.split() == ["200", "200", "True", "True"], pages.stdout + pages.stderr
