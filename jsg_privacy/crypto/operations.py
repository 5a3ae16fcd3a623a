"""Migration operations for columns that already hold data in clear.

Changing a ``CharField`` to an :class:`~jsg_privacy.crypto.fields.EncryptedCharField` makes
``makemigrations`` write an ``AlterField``; add :func:`encrypt_fields` after it so the values already
stored are encrypted (and keyed-hash columns filled)::

    operations = [
        migrations.AddField("order", "email_digest", KeyedHashField("email")),
        migrations.AlterField("order", "email", EncryptedEmailField(max_length=254)),
        encrypt_fields("orders", "order", ["email"]),
    ]

It is reversible (the reverse decrypts), idempotent, and batched.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations

from jsg_privacy.crypto.rewrite import decrypt_token, encrypt_plain, rewrite


def encrypt_fields(app_label: str, model_name: str, fields: Sequence[str]) -> migrations.RunPython:
    """A ``RunPython`` that encrypts the values of ``fields`` still in clear and fills digests."""

    def run(apps: Any, transform: Any) -> None:
        model = apps.get_model(app_label, model_name)
        rewrite(model, transform, fields=list(fields), rehash=True)

    def forward(apps: Any, schema_editor: Any) -> None:
        run(apps, encrypt_plain)

    def backward(apps: Any, schema_editor: Any) -> None:
        run(apps, decrypt_token)

    return migrations.RunPython(forward, backward)
