"""Encrypt the company name of a customer's profile at rest, values already stored included, with
a keyed-hash column to find a profile by the exact company name."""

from django.db import migrations

import jsg_privacy.crypto.fields
from jsg_privacy.crypto.operations import encrypt_fields


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_encrypt_personal_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="customerprofile",
            name="company_name_digest",
            field=jsg_privacy.crypto.fields.KeyedHashField(kind="name", source="company_name"),
        ),
        migrations.AlterField(
            model_name="customerprofile",
            name="company_name",
            field=jsg_privacy.crypto.fields.EncryptedCharField(blank=True, max_length=150),
        ),
        encrypt_fields("accounts", "customerprofile", ["company_name"]),
    ]
