"""Encrypt contact details, addresses and notes at rest (jsg_privacy.crypto), values already
stored included; e-mail addresses get a keyed-hash column for exact lookups."""

from django.db import migrations

import example_shop.validators
import jsg_privacy.crypto.fields
from jsg_privacy.crypto.operations import encrypt_fields


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0002_index_retention_anchors"),
    ]

    operations = [
        migrations.AddField(
            model_name="enquiry",
            name="email_digest",
            field=jsg_privacy.crypto.fields.KeyedHashField(source="email"),
        ),
        migrations.AddField(
            model_name="quoterequest",
            name="email_digest",
            field=jsg_privacy.crypto.fields.KeyedHashField(source="email"),
        ),
        migrations.AlterField(
            model_name="enquiry",
            name="email",
            field=jsg_privacy.crypto.fields.EncryptedEmailField(max_length=254),
        ),
        migrations.AlterField(
            model_name="enquiry",
            name="message",
            field=jsg_privacy.crypto.fields.EncryptedTextField(max_length=5000),
        ),
        migrations.AlterField(
            model_name="enquiry",
            name="phone",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True,
                max_length=32,
                validators=[example_shop.validators.validate_phone_number],
            ),
        ),
        migrations.AlterField(
            model_name="quoterequest",
            name="email",
            field=jsg_privacy.crypto.fields.EncryptedEmailField(max_length=254),
        ),
        migrations.AlterField(
            model_name="quoterequest",
            name="installation_postcode",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                max_length=10, validators=[example_shop.validators.validate_uk_postcode]
            ),
        ),
        migrations.AlterField(
            model_name="quoterequest",
            name="message",
            field=jsg_privacy.crypto.fields.EncryptedTextField(max_length=5000),
        ),
        migrations.AlterField(
            model_name="quoterequest",
            name="phone",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                max_length=32, validators=[example_shop.validators.validate_phone_number]
            ),
        ),
        encrypt_fields("enquiries", "enquiry", ["email", "phone", "message"]),
        encrypt_fields(
            "enquiries", "quoterequest", ["email", "phone", "installation_postcode", "message"]
        ),
    ]
