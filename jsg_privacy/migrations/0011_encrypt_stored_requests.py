"""Encrypt what 0010 turned into encrypted fields but was stored in clear, and fill the cases'
address digests. Reversible (the reverse decrypts), idempotent and batched."""

from django.db import migrations

from jsg_privacy.crypto.operations import encrypt_fields


class Migration(migrations.Migration):
    dependencies = [
        ("jsg_privacy", "0010_address_proofs_download_codes_and_encrypted_requests"),
    ]

    operations = [
        encrypt_fields(
            "jsg_privacy", "case", ["email", "details", "identity_check", "extension_reason"]
        ),
        encrypt_fields("jsg_privacy", "caseevent", ["detail"]),
        encrypt_fields("jsg_privacy", "restriction", ["reason", "lift_reason"]),
        encrypt_fields("jsg_privacy", "objection", ["grounds", "decision_reason"]),
    ]
