"""docs/encryption.md, "Encrypting the user's e-mail: a custom user model", followed block by block:
on a new project, and on one that already has accounts in clear and migrates them.

The suite runs with ``auth.User``, and Django takes one user model per process: each project here is
built in a temporary folder and run in subprocesses, with its own SQLite database, so it runs in the
SQLite configuration of the suite only.
"""

import json
import os
import re
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.test_install_docs import Project

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="builds projects of their own on SQLite: run in the SQLite configuration",
)

REPO = Path(__file__).resolve().parents[3]
DOCS = REPO / "docs" / "encryption.md"
BLOCK = re.compile(r"<!-- custom-user: (\S+) -->\s*```\w*\n(.*?)```", re.S)
PASSWORD = "correct horse battery staple 7"

#: What every project has before the section's steps: jsg_privacy installed, keys of its own.
INSTALLED = f"""
INSTALLED_APPS += ["cookie_consent", "jsg_privacy", "accounts"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "jsg_privacy.consent.middleware.ConsentMiddleware",
)
JSG_PRIVACY_ENCRYPTION_KEYS = ["{Fernet.generate_key().decode()}"]
JSG_PRIVACY_HASH_KEY = "custom-user-docs-test-only"
"""
PLAIN_USER = """
from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    pass
"""

#: Signs in, searches the admin, resets a password, adds a user: what staff and customers do.
TRY_IT = """
import json
import sys

import django

django.setup()
from django.contrib.auth import authenticate, get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment

from accounts.forms import PasswordResetForm

setup_test_environment()
User = get_user_model()
password = sys.argv[1]
if not User.objects.exists():
    User.objects.create_superuser(
        "Sam.Jones@Example.org", password, first_name="Sam", last_name="Jones"
    )
out = {}
with connection.cursor() as cursor:
    cursor.execute("SELECT email, first_name, last_name FROM accounts_user")
    out["stored"] = [list(row) for row in cursor.fetchall()]
sam = User.objects.get_by_natural_key("sam.jones@example.org")
out["names"] = [sam.email, sam.first_name, sam.last_name]
out["login"] = authenticate(username="SAM.JONES@example.org", password=password) == sam
out["wrong password"] = authenticate(username="sam.jones@example.org", password="x") is None
out["unknown"] = authenticate(username="nobody@example.org", password=password) is None

client = Client()
login = client.post(
    "/admin/login/?next=/admin/", {"username": "sam.jones@EXAMPLE.org", "password": password}
)
out["admin login"] = login.status_code, login.get("Location")
page = client.get("/admin/accounts/user/", {"q": " Sam.Jones@example.org "})
out["admin search"] = [u.pk for u in page.context["cl"].result_list] == [sam.pk]
out["search box"] = bool(page.context["cl"].search_fields)
out["part of an address"] = page.status_code, client.get(
    "/admin/accounts/user/", {"q": "jones"}
).context["cl"].result_count
added = client.post(
    "/admin/accounts/user/add/",
    {"email": "kim.lee@example.org", "password1": password, "password2": password},
)
out["added"] = added.status_code, User.objects.filter(email_digest__matches="KIM.LEE@example.org").count()
again = client.post(
    "/admin/accounts/user/add/",
    {"email": "Kim.Lee@Example.org", "password1": password, "password2": password},
)
out["added twice"] = again.status_code, again.context["adminform"].form.errors.get("email")

form = PasswordResetForm({"email": "SAM.JONES@example.org"})
form.is_valid()
form.save(domain_override="shop.example")
out["reset sent to"] = [message.to for message in mail.outbox]
print(json.dumps(out))
"""


def blocks():
    found = dict(BLOCK.findall(DOCS.read_text(encoding="utf-8")))
    assert "accounts/models.py" in found, "docs/encryption.md has no custom-user blocks"
    return found


def build(root: Path, models: str) -> Project:
    site = Project(root)
    site.env["PYTHONPATH"] = os.pathsep.join([str(root), str(REPO)])  # this checkout's jsg_privacy
    site.run("-m", "django", "startproject", "mysite", str(root))
    site.manage("startapp", "accounts")
    (root / "accounts" / "models.py").write_text(models)
    site.append("mysite/settings.py", INSTALLED)
    return site


def follow(site: Project, *, migration: bool = False) -> None:
    """Write the section's files into the project: every block, or all but the migration."""
    for target, code in blocks().items():
        if target == "settings":
            site.append("mysite/settings.py", code)
        elif target == "urls":
            site.append("mysite/urls.py", code)
        elif migration or "/migrations/" not in target:
            (site.root / target).write_text(code)


def try_it(site: Project) -> dict:
    script = site.root / "try_it.py"
    script.write_text(TRY_IT)
    return json.loads(site.run(str(script), PASSWORD).stdout.splitlines()[-1])


def assert_works(out: dict, accounts: int) -> None:
    assert len(out["stored"]) == accounts
    for row in out["stored"]:  # the address and the names, as the database holds them
        assert all(value == "" or value.startswith("gAAAAA") for value in row), row
    assert any(all(row) for row in out["stored"])  # Sam's address and names: three tokens
    assert out["names"] == ["Sam.Jones@example.org", "Sam", "Jones"]  # the domain lower-cased
    assert out["login"]
    assert out["wrong password"]
    assert out["unknown"]
    assert out["admin login"] == [302, "/admin/"]
    assert out["admin search"]
    assert out["search box"]
    assert out["part of an address"] == [200, 0]
    assert out["added"] == [302, 1]
    assert out["added twice"] == [200, ["An account with this address already exists."]]
    assert out["reset sent to"] == [["Sam.Jones@example.org"]]


def assert_checks_pass(site: Project) -> None:
    checked = site.manage("check")
    output = checked.stdout + checked.stderr
    assert "accounts.User: (jsg_privacy.I001)" not in output  # nothing of the account in clear
    assert "accounts.User: (jsg_privacy." not in output  # declared completely: no warning either
    assert not re.search(r"\((auth|admin)\.[EW]\d+\)", output), output
    assert not re.search(r"\(jsg_privacy\.E\d+\)", output), output


def test_a_new_project_with_the_custom_user_model_encrypts_and_logs_in_by_e_mail(tmp_path):
    site = build(tmp_path, "")
    follow(site)
    site.manage("makemigrations", "accounts")
    site.manage("migrate")
    assert_checks_pass(site)

    assert_works(try_it(site), accounts=1)


def test_an_existing_project_migrates_its_accounts_to_the_encrypted_model(tmp_path):
    site = build(tmp_path, PLAIN_USER)
    site.append("mysite/settings.py", 'AUTH_USER_MODEL = "accounts.User"')
    site.manage("makemigrations", "accounts")
    site.manage("migrate")
    site.run(
        "-c",
        "import django, sys; django.setup()\n"
        "from django.contrib.auth import get_user_model\n"
        "User = get_user_model()\n"
        "User.objects.create_superuser('sam', 'Sam.Jones@Example.org', sys.argv[1], "
        "first_name='Sam', last_name='Jones')\n"
        "User.objects.create_user('priya', 'priya@example.org', sys.argv[1])\n",
        PASSWORD,
    )
    follow(site, migration=True)
    pending = site.manage("makemigrations", "--check", "--dry-run", ok=False)
    assert pending.returncode == 0, pending.stdout  # the edited migration is the model

    site.manage("migrate")

    assert_checks_pass(site)
    out = try_it(site)
    assert_works(out, accounts=2)  # the accounts from before, with their passwords
