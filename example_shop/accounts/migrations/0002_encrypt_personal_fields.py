"""Encrypt contact details, addresses and notes at rest (jsg_privacy.crypto), values already
stored included; e-mail addresses get a keyed-hash column for exact lookups."""

from django.db import migrations

import example_shop.validators
import jsg_privacy.crypto.fields
from jsg_privacy.crypto.operations import encrypt_fields


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_create_customer_profile"),
    ]

    operations = [
        migrations.AlterField(
            model_name="customerprofile",
            name="billing_line1",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True, max_length=150, verbose_name="billing address line 1"
            ),
        ),
        migrations.AlterField(
            model_name="customerprofile",
            name="billing_line2",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True, max_length=150, verbose_name="billing address line 2"
            ),
        ),
        migrations.AlterField(
            model_name="customerprofile",
            name="billing_postcode",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True,
                max_length=10,
                validators=[example_shop.validators.validate_uk_postcode],
                verbose_name="billing postcode",
            ),
        ),
        migrations.AlterField(
            model_name="customerprofile",
            name="billing_town",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True, max_length=100, verbose_name="billing town or city"
            ),
        ),
        migrations.AlterField(
            model_name="customerprofile",
            name="installation_line1",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True, max_length=150, verbose_name="installation address line 1"
            ),
        ),
        migrations.AlterField(
            model_name="customerprofile",
            name="installation_line2",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True, max_length=150, verbose_name="installation address line 2"
            ),
        ),
        migrations.AlterField(
            model_name="customerprofile",
            name="installation_postcode",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True,
                max_length=10,
                validators=[example_shop.validators.validate_uk_postcode],
                verbose_name="installation postcode",
            ),
        ),
        migrations.AlterField(
            model_name="customerprofile",
            name="installation_town",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True, max_length=100, verbose_name="installation town or city"
            ),
        ),
        migrations.AlterField(
            model_name="customerprofile",
            name="phone",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True,
                max_length=32,
                validators=[example_shop.validators.validate_phone_number],
            ),
        ),
        encrypt_fields(
            "accounts",
            "customerprofile",
            [
                "phone",
                "billing_line1",
                "billing_line2",
                "billing_town",
                "billing_postcode",
                "installation_line1",
                "installation_line2",
                "installation_town",
                "installation_postcode",
            ],
        ),
    ]
