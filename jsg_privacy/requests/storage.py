"""Where export ZIPs are stored until their link expires: a Django storage, kept private.

``JSG_PRIVACY_EXPORT_STORAGE`` names an alias of ``STORAGES`` (default ``"default"``). Files are
served only through the download view, so the storage must not be publicly readable. A file-system
storage with no location (``MEDIA_ROOT`` unset) would write every customer's data into the folder
the server runs in — the project folder: that is refused, by check ``jsg_privacy.E024`` and at run
time.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages

from jsg_privacy.conf import app_settings

FIX = (
    "Give exports a private storage: add STORAGES['jsg_privacy_exports'] = {'BACKEND': "
    "'django.core.files.storage.FileSystemStorage', 'OPTIONS': {'location': '/var/lib/shop/exports'}} "
    "(a folder your web server does not serve, or a private bucket) and set "
    "JSG_PRIVACY_EXPORT_STORAGE = 'jsg_privacy_exports'."
)


def problem() -> str:
    """Why exports cannot be stored safely, or ``""``."""
    alias = app_settings.EXPORT_STORAGE
    try:
        chosen = storages[alias]
    except InvalidStorageError:
        return f"JSG_PRIVACY_EXPORT_STORAGE is {alias!r}, which is not in STORAGES."
    if isinstance(chosen, FileSystemStorage) and not (chosen.base_location or settings.MEDIA_ROOT):
        return (
            f"The {alias!r} storage writes to MEDIA_ROOT, which is unset: export ZIPs with "
            "customers' data would be written into the folder the server runs in."
        )
    return ""


def export_storage() -> Any:
    """The storage for export files; ``ImproperlyConfigured`` if it is not safe to use."""
    refused = problem()
    if refused:
        raise ImproperlyConfigured(f"{refused} {FIX}")
    return storages[app_settings.EXPORT_STORAGE]
