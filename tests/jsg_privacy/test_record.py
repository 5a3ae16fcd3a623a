import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse


def run(*args):
    out = io.StringIO()
    call_command("privacy_record", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_json_record_has_one_activity_per_purpose_in_use():
    record = json.loads(run("--format", "json"))
    purposes = [a["purpose"] for a in record["activities"]]
    assert "Customer and technical support" in purposes
    support = next(
        a for a in record["activities"] if a["purpose"] == "Customer and technical support"
    )
    assert support["basis"].endswith("(Art. 6(1)(b))")
    assert "Tickets" in support["sources"]
    assert "people asking for support" in support["data_subjects"]
    assert any(rule.startswith("Tickets: Kept for 6 months") for rule in support["retention"])
    assert support["security"]


def test_the_csv_record_is_one_row_per_activity():
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv"))))
    assert len(rows) == len(json.loads(run())["activities"])
    assert {"purpose", "basis", "recipients", "transfers", "retention"} <= set(rows[0])


def test_the_html_record_is_written_to_a_file(tmp_path):
    target = tmp_path / "record.html"
    call_command(
        "privacy_record", "--format", "html", "--output", str(target), stderr=io.StringIO()
    )
    assert "Record of processing activities" in target.read_text()


def test_an_unwritable_output_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("privacy_record", "--output", str(tmp_path / "missing" / "r.json"))


@pytest.mark.django_db
def test_staff_read_and_download_the_record_in_the_admin(admin_client):
    url = reverse("admin:jsg_privacy_record")
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Customer and technical support" in page.content.decode()
    download = admin_client.get(url, {"format": "csv"})
    assert download["Content-Disposition"] == 'attachment; filename="record-of-processing.csv"'


@pytest.mark.django_db
def test_the_record_is_not_public(client):
    response = client.get(reverse("admin:jsg_privacy_record"))
    assert response.status_code == 302
