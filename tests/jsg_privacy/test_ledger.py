"""The consent ledger: appended as a keyed chain in lanes, append-only, and tamper-evident end to end.

The tampering tests act as an attacker with full database access and no ledger key would: switch
the append-only triggers off, then edit, insert, delete, reorder or re-sign rows. Each is caught by
``privacy_verify_ledger``, which names the first bad record; deleting the newest records is caught
given the latest signed checkpoint.
"""

import hashlib
import hmac
import threading
from contextlib import contextmanager

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from jsg_privacy.consent import checkpointing, checkpoints, ledger
from jsg_privacy.consent.models import GENESIS, AppendOnlyError, ConsentRecord, lane_genesis
from jsg_privacy.crypto import ledger_keys, subjects

KEY_A = "ledger-key-a-for-tests-only-0123456789abcdef"
KEY_B = "ledger-key-b-for-tests-only-0123456789abcdef"


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


@contextmanager
def attacker():
    """A cursor of someone with write access to the database but not the ledger key."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE jsg_privacy_consentrecord DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS jsg_privacy_ledger_no_update")
        yield cursor


def edit(record_id):
    """Change a record's action in place, as an attacker with database access would."""
    with attacker() as cursor:
        cursor.execute(
            "UPDATE jsg_privacy_consentrecord SET action = 'refused' WHERE id = %s", [record_id]
        )


def broken_at(record_id, reason_part=""):
    """``privacy_verify_ledger`` fails, naming ``record_id``; returns the verification."""
    result = ledger.verify()
    assert not result.ok
    assert result.first_broken == record_id, result
    assert reason_part in result.reason
    with pytest.raises(CommandError, match=f"broken at record #{record_id}"):
        call_command("privacy_verify_ledger")
    return result


def re_sign(cursor, record_id, key, **changes):
    """Rewrite a row's fields and hash, signing with ``key`` (a guess: not the ledger key)."""
    record = ConsentRecord.objects.get(pk=record_id)
    for name, value in changes.items():
        setattr(record, name, value)
    record.hash = ledger_keys.mac(key.encode(), record.signed_message())
    cursor.execute(
        "UPDATE jsg_privacy_consentrecord SET purpose = %s, action = %s, prev_hash = %s, hash = %s WHERE id = %s",
        [record.purpose, record.action, record.prev_hash, record.hash, record_id],
    )
    return record.hash


@pytest.mark.django_db
def test_records_form_a_keyed_chain_that_verifies(settings):
    first, second, third = add(3)
    assert first.prev_hash == lane_genesis(0, GENESIS)
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert [r.position for r in (first, second, third)] == [1, 2, 3]
    assert first.key_id == ledger_keys.key_id(settings.JSG_PRIVACY_LEDGER_KEYS[0])
    # Keyed: the hash is an HMAC with the ledger key, not something anyone can recompute.
    assert first.hash != hashlib.sha256((first.prev_hash + first.canonical()).encode()).hexdigest()
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
def test_an_edited_record_is_named():
    records = add(4)
    edit(records[2].pk)
    result = broken_at(records[2].pk, "does not match its signature")
    assert result.checked == 2


@pytest.mark.django_db
def test_an_edit_re_hashed_the_unkeyed_way_is_named():
    """Before, the chain was plain SHA-256: an attacker recomputed it from the edited record on."""
    records = add(4)
    with attacker() as cursor:
        previous = records[0].hash
        for record in records[1:]:
            row = ConsentRecord.objects.get(pk=record.pk)
            row.prev_hash = previous
            if record.pk == records[1].pk:
                row.action = "withdrawn"
            previous = row.hash = row.compute_hash()
            cursor.execute(
                "UPDATE jsg_privacy_consentrecord SET action = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [row.action, row.prev_hash, row.hash, row.pk],
            )
    broken_at(records[1].pk, "does not match its signature")


@pytest.mark.django_db
def test_rewriting_from_any_point_without_the_key_names_that_point():
    records = add(6)
    with attacker() as cursor:
        previous = records[2].hash
        for record in records[3:]:
            previous = re_sign(cursor, record.pk, "a guessed key", prev_hash=previous)
    broken_at(records[3].pk, "does not match its signature")


@pytest.mark.django_db
def test_a_forged_record_inserted_is_named():
    records = add(3)
    forged = ConsentRecord(
        id=records[-1].pk + 1,
        lane=0,
        position=4,
        key_id=records[-1].key_id,
        prev_hash=records[-1].hash,
        created_at=records[-1].created_at,
        subject_key=records[-1].subject_key,
        purpose="marketing",
        action="given",
        channel="banner",
    )
    forged.hash = ledger_keys.mac(b"a guessed key", forged.signed_message())
    forged.save(force_insert=True)
    broken_at(forged.pk, "does not match its signature")


@pytest.mark.django_db
def test_a_record_deleted_from_the_middle_names_the_one_after_the_gap():
    records = add(4)
    with attacker() as cursor:
        cursor.execute("DELETE FROM jsg_privacy_consentrecord WHERE id = %s", [records[1].pk])
    broken_at(records[2].pk, "1 record before it in lane 0 is missing (position 2")


@pytest.mark.django_db
def test_records_swapped_are_named():
    """Swapping two rows' ids changes which choice reads as the newest: a withdrawal undone."""
    given, withdrawn = add(1)[0], add(1, action="withdrawn")[0]
    with attacker() as cursor:
        cursor.execute("UPDATE jsg_privacy_consentrecord SET id = -1 WHERE id = %s", [given.pk])
        cursor.execute(
            "UPDATE jsg_privacy_consentrecord SET id = %s WHERE id = %s", [given.pk, withdrawn.pk]
        )
        cursor.execute("UPDATE jsg_privacy_consentrecord SET id = %s WHERE id = -1", [withdrawn.pk])
    assert not ledger.verify().ok
    broken_at(given.pk)


@pytest.mark.django_db
def test_deleting_the_newest_records_is_caught_by_the_checkpoint(capsys):
    """Before, deleting the newest records (a withdrawal) left a chain that verified."""
    records = add(3) + add(2, action="withdrawn")
    call_command("privacy_ledger_checkpoint")
    assert "Checkpoint jsg_privacy/ledger-checkpoints/" in capsys.readouterr().out
    with attacker() as cursor:
        cursor.execute(
            "DELETE FROM jsg_privacy_consentrecord WHERE id IN (%s, %s)",
            [r.pk for r in records[3:]],
        )
    result = broken_at(records[4].pk, "it is missing")
    assert "counts 5 records in lane 0, the ledger has 3" in result.reason
    assert f"after #{records[2].pk}" in result.reason
    assert result.checkpoint == checkpoints.names()[-1]


@pytest.mark.django_db
def test_without_a_checkpoint_the_command_says_a_deleted_end_could_go_unnoticed(capsys):
    add(2)
    call_command("privacy_verify_ledger")
    out = capsys.readouterr().out
    assert "verifies: 2 records" in out
    assert "No checkpoint yet" in out
    call_command("privacy_ledger_checkpoint")
    capsys.readouterr()
    call_command("privacy_verify_ledger")
    assert "Checked against the checkpoint" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_changed_or_forged_checkpoint_fails_verification():
    add(3)
    taken = checkpointing.take()
    storage = checkpoints.storage()
    with storage.open(taken.checkpoint.name) as file:
        text = file.read().decode()
    storage.delete(taken.checkpoint.name)
    storage.save(
        taken.checkpoint.name,
        ContentFile(text.replace('"records": 3', '"records": 2').encode()),
    )
    result = ledger.verify()
    assert "does not match its signature" in result.reason
    with pytest.raises(CommandError, match="does not match its signature"):
        call_command("privacy_verify_ledger")
    with pytest.raises(CommandError, match="No checkpoint was taken"):
        call_command("privacy_ledger_checkpoint")


@pytest.mark.django_db
def test_privacy_ledger_checkpoint_verifies_every_new_record_before_signing():
    add(2)
    checkpointing.take()
    later = add(3)
    edit(later[0].pk)
    with pytest.raises(CommandError, match=f"broken at record #{later[0].pk}"):
        call_command("privacy_ledger_checkpoint")
    assert len(checkpoints.names()) == 1


@pytest.mark.django_db
def test_the_checkpoint_after_appends_never_signs_a_forged_head_and_logs_why(caplog):
    add(2)
    checkpointing.take()
    later = add(2, subject_key=subjects.for_email("ann@example.com"))
    edit(later[1].pk)
    checkpointing.take_quietly()  # what runs after appends: it logs, and signs nothing
    assert len(checkpoints.names()) == 1
    assert f"failed verification at record #{later[1].pk}" in caplog.text
    assert later[1].subject_key not in caplog.text


@pytest.mark.django_db
def test_the_checkpoint_after_appends_reads_only_the_heads_and_the_ledger_still_names_the_rest(
    django_assert_max_num_queries,
):
    """It reads a few indexed rows, whatever the ledger's size; what it does not read (an edited
    record below the head) stays caught by privacy_verify_ledger, which checks every record."""
    add(2)
    checkpointing.take()
    later = add(30)
    edit(later[5].pk)
    with django_assert_max_num_queries(12):
        taken = checkpointing.take(thorough=False)
    assert taken.written
    assert taken.checkpoint.records == 32
    broken_at(later[5].pk, "does not match its signature")


@pytest.mark.django_db
def test_a_tail_cut_and_written_again_is_never_signed_over():
    """Records cut below the checkpoint, then new ones appended at the freed positions."""
    records = add(4)
    checkpointing.take()
    with attacker() as cursor:
        cursor.execute(
            "DELETE FROM jsg_privacy_consentrecord WHERE id IN (%s, %s)",
            [r.pk for r in records[2:]],
        )
    add(3, action="refused")
    taken = checkpointing.take()
    assert not taken.written
    assert taken.verification.first_broken == records[3].pk
    assert "it is changed: the checkpoint" in taken.verification.reason
    now_there = ConsentRecord.objects.get(lane=0, position=4)
    result = broken_at(now_there.pk, "the lane was rewritten")
    assert f"(#{records[3].pk})" in result.reason  # the record the checkpoint signed there


@pytest.mark.django_db
def test_a_checkpoint_is_taken_every_n_records_of_a_lane(
    settings, django_capture_on_commit_callbacks
):
    settings.JSG_PRIVACY_LEDGER_CHECKPOINT_EVERY = 3
    for _ in range(7):
        with django_capture_on_commit_callbacks(execute=True):  # each append commits on its own
            add()
    assert len(checkpoints.names()) == 2
    assert checkpoints.latest().records == 6
    assert ledger.verify().ok


@pytest.mark.django_db
def test_a_rotated_key_keeps_old_records_verifying(settings):
    settings.JSG_PRIVACY_LEDGER_KEYS = [KEY_A]
    old = add(2)
    checkpointing.take()
    settings.JSG_PRIVACY_LEDGER_KEYS = f"{KEY_B},{KEY_A}"  # from the environment, newest first
    new = add(2)
    assert {r.key_id for r in old} == {ledger_keys.key_id(KEY_A)}
    assert {r.key_id for r in new} == {ledger_keys.key_id(KEY_B)}
    assert ledger.verify().ok
    assert checkpointing.take().checkpoint.key_id == ledger_keys.key_id(KEY_B)
    settings.JSG_PRIVACY_LEDGER_KEYS = [KEY_B]  # the old key dropped: its records cannot be told
    broken_at(old[0].pk, "not in JSG_PRIVACY_LEDGER_KEYS")


def unkeyed(prev_hash, **fields):
    """A record as jsg_privacy wrote them before the keyed chain: SHA-256, no lane or key id."""
    values = {
        "subject_key": subjects.for_consent_id("before"),
        "purpose": "analytics",
        "action": "given",
        "channel": "banner",
        **fields,
    }
    record = ConsentRecord(prev_hash=prev_hash, **values)
    record.hash = record.compute_hash()
    record.save(force_insert=True)
    return record


@pytest.mark.django_db
def test_records_written_before_the_keyed_chain_still_verify_and_are_bound_by_it():
    first = unkeyed(GENESIS)
    second = unkeyed(first.hash, action="refused")
    (keyed,) = add()
    assert keyed.prev_hash == lane_genesis(0, second.hash)
    assert ledger.verify().ok
    assert ledger.verify().checked == 3
    with attacker() as cursor:  # rewrite the unkeyed records consistently: SHA-256 needs no key
        row = ConsentRecord.objects.get(pk=second.pk)
        row.action = "given"
        row.hash = row.compute_hash()
        cursor.execute(
            "UPDATE jsg_privacy_consentrecord SET action = %s, hash = %s WHERE id = %s",
            [row.action, row.hash, row.pk],
        )
    broken_at(keyed.pk, "binds the 2 unsigned records written before the keyed chain")


@pytest.mark.django_db
def test_an_unsigned_record_after_the_keyed_chain_began_is_named():
    records = add(2)
    forged = unkeyed(records[-1].hash, id=records[-1].pk + 1)
    broken_at(forged.pk, "unsigned (no lane, no key id) but comes after the keyed chain began")


@pytest.mark.django_db
def test_no_ledger_key_with_debug_off_records_nothing(settings):
    settings.JSG_PRIVACY_LEDGER_KEYS = []
    settings.DEBUG = False
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="JSG_PRIVACY_LEDGER_KEYS"):
        add()
    assert not ConsentRecord.objects.exists()


@pytest.mark.django_db
def test_records_of_the_public_demo_key_fail_verification_once_debug_is_off(settings):
    settings.JSG_PRIVACY_LEDGER_KEYS = []
    settings.DEBUG = True
    (record,) = add()
    assert record.key_id == ledger_keys.key_id(ledger_keys.DEMO_KEY)
    assert ledger.verify().ok
    settings.DEBUG = False
    settings.JSG_PRIVACY_LEDGER_KEYS = [KEY_A]
    broken_at(record.pk, "not in JSG_PRIVACY_LEDGER_KEYS")


def test_subject_keys_are_keyed_hashes_not_identifiers(settings):
    key = subjects.for_email(" Ann@Example.com ")
    assert key == subjects.for_email("ann@example.com")
    assert "ann" not in key
    assert len(key) == 64
    settings.JSG_PRIVACY_HASH_KEY = "another secret"
    assert subjects.for_email("ann@example.com") != key


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_a_lane_and_do_not_wait_for_each_other():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a database with real concurrency (PostgreSQL)")
    errors = []
    ready = threading.Barrier(4)

    def writer(n):
        try:
            ready.wait()
            for i in range(25):
                add(subject_key=subjects.for_consent_id(f"w{n}-{i}"))
                if n == 0 and i == 12:
                    checkpointing.take()  # a checkpoint while the others append
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
    assert ConsentRecord.objects.values("lane").distinct().count() > 1
    lane_ids_rise_with_positions()
    result = ledger.verify()
    assert result.ok, result
    assert result.checkpoint


@pytest.mark.django_db(transaction=True)
def test_an_append_that_fails_leaves_nothing_and_the_connection_usable():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not enforce the column's length")
    with pytest.raises(DatabaseError):
        add(subject_key="x" * 65)  # longer than the column
    assert not ConsentRecord.objects.exists()
    (record,) = add()
    assert record.position == 1
    assert ledger.verify().ok


@pytest.mark.django_db(transaction=True)
def test_appends_outside_a_transaction_commit_with_either_kind_of_parameter_binding(monkeypatch):
    add(2)  # autocommit: "BEGIN; <reserve>" and "<insert>; COMMIT"
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "server_side_binding", True)
    add(2)  # one statement per query: Django's BEGIN and COMMIT around them
    connections.close_all()  # another connection sees them: they were committed
    assert list(ConsentRecord.objects.values_list("position", flat=True)) == [1, 2, 3, 4]
    assert ledger.verify().ok


def lane_ids_rise_with_positions():
    """Within every lane, ids rise with positions (verification walks records in id order)."""
    for lane in ConsentRecord.objects.values_list("lane", flat=True).distinct():
        ids = list(
            ConsentRecord.objects.filter(lane=lane)
            .order_by("position")
            .values_list("id", flat=True)
        )
        assert ids == sorted(ids), lane


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("lanes and their claims are PostgreSQL's (SQLite has one writer)")


@pytest.mark.django_db(transaction=True)
def test_a_writer_that_keeps_its_lane_appends_in_one_statement():
    needs_postgresql()
    add()  # the first append reserves a lane
    with CaptureQueriesContext(connection) as queries:
        records = add(3)
    assert len(queries) == 3
    assert all(q["sql"].startswith("INSERT") for q in queries.captured_queries)
    assert [r.position for r in records] == [2, 3, 4]
    assert len({r.lane for r in records}) == 1
    lane_ids_rise_with_positions()
    assert ledger.verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_lane_another_writer_appended_to_is_reserved_again_never_forked():
    needs_postgresql()
    (mine,) = add(subject_key=subjects.for_consent_id("first"))

    def other_writer():
        try:
            add(2, subject_key=subjects.for_consent_id("other"))  # the free lane: the same one
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_writer)
    thread.start()
    thread.join()
    assert ConsentRecord.objects.filter(lane=mine.lane).count() == 3  # this writer's head is old
    (after,) = add(subject_key=subjects.for_consent_id("first"))
    assert (after.lane, after.position) == (mine.lane, 4)
    lane_ids_rise_with_positions()
    newest = (
        ConsentRecord.objects.filter(subject_key=subjects.for_consent_id("first"))
        .order_by("-id")
        .first()
    )
    assert newest.pk == after.pk  # the highest id is the newest choice
    assert ledger.verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_writer_whose_lane_is_busy_appends_in_another_without_waiting():
    needs_postgresql()
    (mine,) = add()
    other = connections.create_connection("default")  # another web process, mid-append
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "BEGIN; SELECT pg_advisory_xact_lock(%s)", [ledger.ADVISORY_LOCK_ID + mine.lane]
            )
            with connection.cursor() as mine_cursor:
                mine_cursor.execute("SET lock_timeout = '5s'")  # a wait would fail the test
            (after,) = add()
            cursor.execute("ROLLBACK")
    finally:
        other.close()
        with connection.cursor() as mine_cursor:
            mine_cursor.execute("RESET lock_timeout")
    assert after.lane != mine.lane
    assert after.position == 1
    lane_ids_rise_with_positions()
    assert ledger.verify().ok


@pytest.mark.django_db(transaction=True)
def test_an_append_rolled_back_with_its_transaction_leaves_the_next_one_chained_correctly():
    needs_postgresql()
    add()

    def view_that_fails_after_recording_the_choice():
        with transaction.atomic():
            add()
            raise RuntimeError("the shop's view failed")

    with pytest.raises(RuntimeError):
        view_that_fails_after_recording_the_choice()
    (after,) = add()
    assert after.position == 2  # after the committed record, not the rolled-back one
    assert ledger.verify().ok


@pytest.mark.django_db(transaction=True)
def test_writers_of_the_previous_release_and_this_one_keep_one_chain(monkeypatch):
    needs_postgresql()
    add(2)
    monkeypatch.setattr(ledger, "_append_claimed", lambda *args: False)  # reserve every time
    add(2)
    monkeypatch.undo()
    add(2)
    assert list(ConsentRecord.objects.values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6]
    lane_ids_rise_with_positions()
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


def test_the_key_id_names_a_key_without_revealing_it():
    assert ledger_keys.key_id(KEY_A) != ledger_keys.key_id(KEY_B)
    assert KEY_A[:6] not in ledger_keys.key_id(KEY_A)
    assert (
        ledger_keys.key_id(KEY_A)
        == hmac.new(KEY_A.encode(), b"jsg_privacy.ledger.key-id", hashlib.sha256).hexdigest()[:12]
    )
