"""Encrypt the names on an order at rest — the customer's, the site contact's, the agent's and the
company's — values already stored included; the customer's full name and the company name get
keyed-hash columns, so staff still find an order by either, typed exactly in any case."""

from django.db import migrations

import jsg_privacy.crypto.fields
from jsg_privacy.crypto.operations import encrypt_fields


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_encrypt_personal_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="company_name_digest",
            field=jsg_privacy.crypto.fields.KeyedHashField(kind="name", source="company_name"),
        ),
        migrations.AddField(
            model_name="order",
            name="full_name_digest",
            field=jsg_privacy.crypto.fields.KeyedHashField(kind="name", source="full_name"),
        ),
        migrations.AlterField(
            model_name="order",
            name="agent_name",
            field=jsg_privacy.crypto.fields.EncryptedCharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name="order",
            name="company_name",
            field=jsg_privacy.crypto.fields.EncryptedCharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name="order",
            name="full_name",
            field=jsg_privacy.crypto.fields.EncryptedCharField(max_length=150),
        ),
        migrations.AlterField(
            model_name="order",
            name="site_contact_name",
            field=jsg_privacy.crypto.fields.EncryptedCharField(blank=True, max_length=150),
        ),
        encrypt_fields(
            "orders", "order", ["full_name", "site_contact_name", "company_name", "agent_name"]
        ),
    ]
