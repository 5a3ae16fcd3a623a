"""Erasure replay survives a real restore: the erasure journal lives outside the database.

A backup is taken (``pg_dump`` on PostgreSQL, a copy of the file on SQLite), a customer is erased,
and the backup is restored (``pg_restore --clean``): the customer is back, and so is a database
that knows nothing of the erasure. ``privacy_replay_erasures`` reads the journal file and erases
them again — their account, saved details and addresses, their enquiry, their order's personal
fields (the invoice kept under its legal hold).
"""

import json
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from jsg_privacy.audit import journal
from jsg_privacy.audit.models import ErasureRecord
from tests.jsg_privacy.security.test_erasure_record import Database, child

PREPARE = r"""
import json
import django
django.setup()
from django.utils import timezone
from example_shop.factories import EnquiryFactory, OrderFactory, UserFactory
from jsg_privacy.requests import cases, identity

ann = UserFactory(email="ann.restore@example.org")
identity.record_proof(ann, ann.email, identity.BY_LINK)
order = OrderFactory(user=ann, email=ann.email, invoiced_at=timezone.now())
enquiry = EnquiryFactory(email=ann.email)
case = cases.open_case(
    kind="erasure", email=ann.email, user=ann, channel="account", identity_check="logged in"
)
print(json.dumps({"ann": ann.pk, "order": order.pk, "enquiry": enquiry.pk, "case": case.pk}))
"""

ERASE = r"""
import sys
import django
django.setup()
from jsg_privacy.requests import service
assert service.run_erasure(int(sys.argv[1])) is not None
"""

STATE = r"""
import json
import django
django.setup()
from django.contrib.auth.models import User
from example_shop.accounts.models import CustomerProfile
from example_shop.enquiries.models import Enquiry
from example_shop.orders.models import Order
from jsg_privacy.audit.models import ErasureRecord

order = Order.objects.get()
print(json.dumps({
    "users": User.objects.filter(email="ann.restore@example.org").count(),
    "profiles": CustomerProfile.objects.count(),
    "enquiries": Enquiry.objects.count(),
    "order_email": order.email,
    "order_phone": order.phone,
    "order_total": str(order.total),
    "records": ErasureRecord.objects.count(),
}))
"""


def run(url, *args):
    done = child(url, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


@pytest.fixture
def database(tmp_path):
    found = Database(tmp_path, suffix="_restore")
    yield found
    found.drop()


def backup(database, folder):
    if database.postgres:
        target = folder / "backup.dump"
        subprocess.run(  # noqa: S603 - PostgreSQL's own tool, fixed arguments
            [tool("pg_dump"), "-Fc", "-f", str(target), *connection(database)],
            check=True,
            timeout=120,
        )
        return target
    target = folder / "backup.sqlite3"
    shutil.copyfile(database.path, target)
    return target


def restore(database, saved):
    if database.postgres:
        subprocess.run(  # noqa: S603 - PostgreSQL's own tool, fixed arguments
            [tool("pg_restore"), "--clean", "--if-exists", "-O", *connection(database), str(saved)],
            check=True,
            timeout=120,
        )
    else:
        shutil.copyfile(saved, database.path)


def tool(name):
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (apt-get install postgresql-client)")
    return found


def connection(database):
    server = database.server
    found = ["-h", str(server["host"]), "-p", str(server["port"]), "-d", database.name]
    return [*found, "-U", server["user"]] if server["user"] else found


@pytest.mark.slow
def test_a_customer_erased_after_the_backup_is_erased_again_after_a_restore(
    database, tmp_path, monkeypatch
):
    journal_file = tmp_path / "journal" / "erasures.jsonl"
    journal_file.parent.mkdir()
    monkeypatch.setenv("JSG_TEST_ERASURE_JOURNAL", str(journal_file))  # read by tests.settings
    url = database.url
    run(url, "-m", "django", "migrate", "--skip-checks", "-v0")
    made = json.loads(run(url, "-c", PREPARE))
    saved = backup(database, tmp_path)

    run(url, "-c", ERASE, str(made["case"]))
    erased = json.loads(run(url, "-c", STATE))
    assert (erased["users"], erased["profiles"], erased["enquiries"]) == (0, 0, 0)
    assert len(journal_file.read_text().splitlines()) == 1
    assert "ann.restore" not in journal_file.read_text()  # a keyed hash, never the address

    restore(database, saved)
    back = json.loads(run(url, "-c", STATE))
    assert (back["users"], back["profiles"], back["enquiries"], back["records"]) == (1, 1, 1, 0)

    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    out = run(url, "manage.py", "privacy_replay_erasures", "--since", since, "--skip-checks")

    assert "Read 1 erasure(s)" in out, out
    again = json.loads(run(url, "-c", STATE))
    assert (again["users"], again["profiles"], again["enquiries"]) == (0, 0, 0)
    assert again["order_email"] != "ann.restore@example.org"  # its personal fields cleared
    assert again["order_total"] == back["order_total"]  # the invoice kept under its legal hold
    assert again["records"] == 1  # the record is back in the database too


@pytest.mark.django_db
def test_an_edited_journal_line_is_refused_and_named(tmp_path, settings):
    settings.JSG_PRIVACY_ERASURE_JOURNAL = str(tmp_path / "erasures.jsonl")
    for user_id in (1, 2, 3):
        journal.append(ErasureRecord(erased_at=timezone.now(), user_id=user_id, email_key="k"))
    lines = (tmp_path / "erasures.jsonl").read_text().splitlines()
    lines[1] = lines[1].replace('"user_id": 2', '"user_id": 7')  # someone edits a line
    (tmp_path / "erasures.jsonl").write_text("\n".join(lines) + "\n")

    found = journal.read(tmp_path / "erasures.jsonl", timezone.localdate())

    assert [r.user_id for r in found.records] == [1, 3]
    assert found.refused == [2]


@pytest.mark.django_db
def test_an_erasure_whose_journal_cannot_be_written_erases_nothing(settings, tmp_path):
    from example_shop.factories import UserFactory
    from jsg_privacy.requests import cases, service
    from jsg_privacy.requests.models import Status

    settings.JSG_PRIVACY_ERASURE_JOURNAL = str(tmp_path / "missing-folder" / "erasures.jsonl")
    ann = UserFactory()
    case = cases.open_case(
        kind="erasure", email=ann.email, user=ann, channel="account", identity_check="x"
    )

    assert service.run_erasure(case.pk) is None

    case.refresh_from_db()
    assert case.status == Status.FAILED
    assert ann.__class__.objects.filter(pk=ann.pk).exists()
    assert not ErasureRecord.objects.exists()
