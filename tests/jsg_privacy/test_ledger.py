import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from jsg_privacy.consent import ledger, subjects
from jsg_privacy.consent.models import GENESIS, AppendOnlyError, ConsentRecord


def add(n=1, **overrides):
    fields = {
        "subject_key": subjects.for_consent_id("visitor-1"),
        "purpose": "analytics",
        "action": "given",
        "channel": "banner",
        "version": "v1",
    }
    fields.update(overrides)
    return [ledger.append(**fields) for _ in range(n)]


@pytest.mark.django_db
def test_records_form_a_chain_that_verifies():
    first, second, third = add(3)
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert ledger.verify().ok
    assert ledger.verify().checked == 3
    assert first.notice_version  # the notice version in force is recorded


@pytest.mark.django_db
def test_records_cannot_be_changed_or_deleted_through_the_orm():
    (record,) = add()
    record.purpose = "marketing"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        ConsentRecord.objects.filter(pk=record.pk).update(purpose="marketing")
    with pytest.raises(AppendOnlyError):
        ConsentRecord.objects.all().delete()


@pytest.mark.django_db
def test_the_database_refuses_updates_even_in_raw_sql():
    (record,) = add()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE jsg_privacy_consentrecord SET purpose = %s WHERE id = %s",
            ["marketing", record.pk],
        )


@pytest.mark.django_db
def test_verify_names_the_first_tampered_record():
    records = add(4)
    # Tamper as an attacker with database access would: drop the trigger, change a row.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE jsg_privacy_consentrecord DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER jsg_privacy_ledger_no_update")
        cursor.execute(
            "UPDATE jsg_privacy_consentrecord SET action = 'refused' WHERE id = %s",
            [records[2].pk],
        )
    result = ledger.verify()
    assert result.first_broken == records[2].pk
    assert result.checked == 2
    with pytest.raises(CommandError, match=f"broken at record #{records[2].pk}"):
        call_command("privacy_verify_ledger")


@pytest.mark.django_db
def test_the_command_reports_a_sound_chain(capsys):
    add(2)
    call_command("privacy_verify_ledger")
    assert "verifies: 2 records" in capsys.readouterr().out


def test_subject_keys_are_keyed_hashes_not_identifiers(settings):
    key = subjects.for_email(" Ann@Example.com ")
    assert key == subjects.for_email("ann@example.com")
    assert "ann" not in key
    assert len(key) == 64
    settings.JSG_PRIVACY_HASH_KEY = "another secret"
    assert subjects.for_email("ann@example.com") != key


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a database with real concurrency (PostgreSQL)")
    errors = []

    def writer(n):
        try:
            for i in range(25):
                add(subject_key=subjects.for_consent_id(f"w{n}-{i}"))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ConsentRecord.objects.count() == 100
    assert ledger.verify().ok


@pytest.mark.django_db
def test_a_notice_acknowledgement_cites_the_exact_notice_version(client):
    published = client.get("/privacy/notice.json").json()["version"]
    record = ledger.acknowledge_notice(
        subject_key=subjects.for_email("a@example.com"), channel="signup"
    )
    assert record.action == "acknowledged"
    assert record.version == published
    assert record.notice_version == published
