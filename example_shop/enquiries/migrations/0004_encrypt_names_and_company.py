"""Encrypt the names of enquirers and of people asking for a quote, and their company, at rest,
values already stored included; keyed-hash columns find them by an exact name."""

from django.db import migrations

import jsg_privacy.crypto.fields
from jsg_privacy.crypto.operations import encrypt_fields


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0003_encrypt_personal_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="enquiry",
            name="name_digest",
            field=jsg_privacy.crypto.fields.KeyedHashField(kind="name", source="name"),
        ),
        migrations.AddField(
            model_name="quoterequest",
            name="company_name_digest",
            field=jsg_privacy.crypto.fields.KeyedHashField(kind="name", source="company_name"),
        ),
        migrations.AddField(
            model_name="quoterequest",
            name="name_digest",
            field=jsg_privacy.crypto.fields.KeyedHashField(kind="name", source="name"),
        ),
        migrations.AlterField(
            model_name="enquiry",
            name="name",
            field=jsg_privacy.crypto.fields.EncryptedCharField(max_length=150),
        ),
        migrations.AlterField(
            model_name="quoterequest",
            name="company_name",
            field=jsg_privacy.crypto.fields.EncryptedCharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name="quoterequest",
            name="name",
            field=jsg_privacy.crypto.fields.EncryptedCharField(max_length=150),
        ),
        encrypt_fields("enquiries", "enquiry", ["name"]),
        encrypt_fields("enquiries", "quoterequest", ["name", "company_name"]),
    ]
