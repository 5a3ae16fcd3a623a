"""Export ZIPs are never written into the project folder: a storage without a location is a check
error with the fix, and an export refuses to run rather than write there."""

import pytest
from django.core.checks import run_checks

from jsg_privacy.requests import cases, service
from jsg_privacy.requests.models import ExportFile, Status

pytestmark = pytest.mark.django_db

UNSAFE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def found(check_id):
    return [m for m in run_checks(tags=["security"], databases=[]) if m.id == check_id]


def test_media_root_unset_is_e024_and_the_export_refuses(settings, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where the files would land: the folder the server runs in
    settings.STORAGES = UNSAFE
    settings.MEDIA_ROOT = ""

    (message,) = found("jsg_privacy.E024")
    assert "MEDIA_ROOT, which is unset" in message.msg
    assert "JSG_PRIVACY_EXPORT_STORAGE" in message.hint

    case = cases.open_case(
        kind="access",
        email="a@example.org",
        channel="web_form",
        identity_check="link",
        address_check="link",
    )
    assert service.run_export(case.pk) is None
    case.refresh_from_db()
    assert case.status == Status.FAILED
    assert "MEDIA_ROOT" in case.failure_reason
    assert not ExportFile.objects.exists()
    assert list(tmp_path.iterdir()) == []  # nothing was written


def test_a_storage_alias_that_does_not_exist_is_e024(settings):
    settings.JSG_PRIVACY_EXPORT_STORAGE = "exports"

    (message,) = found("jsg_privacy.E024")
    assert "'exports', which is not in STORAGES" in message.msg


def test_a_private_storage_alias_is_used(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "jsg_privacy_exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.JSG_PRIVACY_EXPORT_STORAGE = "jsg_privacy_exports"
    assert found("jsg_privacy.E024") == []
    case = cases.open_case(
        kind="access",
        email="a@example.org",
        channel="web_form",
        identity_check="link",
        address_check="link",
    )

    file = service.run_export(case.pk)

    assert (tmp_path / file.name).is_file()
