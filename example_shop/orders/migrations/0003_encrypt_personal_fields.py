"""Encrypt contact details, addresses and notes at rest (jsg_privacy.crypto), values already
stored included; e-mail addresses get a keyed-hash column for exact lookups."""

from django.db import migrations

import example_shop.orders.validators
import example_shop.validators
import jsg_privacy.crypto.fields
from jsg_privacy.crypto.operations import encrypt_fields


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_index_retention_anchor"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="order",
            name="order_email_idx",
        ),
        migrations.AddField(
            model_name="order",
            name="email_digest",
            field=jsg_privacy.crypto.fields.KeyedHashField(source="email"),
        ),
        migrations.AlterField(
            model_name="order",
            name="access_notes",
            field=jsg_privacy.crypto.fields.EncryptedTextField(
                blank=True, help_text="Parking, access codes, where the meter cupboard is."
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="agent_email",
            field=jsg_privacy.crypto.fields.EncryptedEmailField(blank=True, max_length=254),
        ),
        migrations.AlterField(
            model_name="order",
            name="agent_phone",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True,
                max_length=32,
                validators=[example_shop.validators.validate_phone_number],
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="billing_line1",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                max_length=150, verbose_name="address line 1"
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="billing_line2",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True, max_length=150, verbose_name="address line 2"
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="billing_postcode",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                max_length=10,
                validators=[example_shop.validators.validate_uk_postcode],
                verbose_name="postcode",
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="billing_town",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                max_length=100, verbose_name="town or city"
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="email",
            field=jsg_privacy.crypto.fields.EncryptedEmailField(max_length=254),
        ),
        migrations.AlterField(
            model_name="order",
            name="installation_line1",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                max_length=150, verbose_name="address line 1"
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="installation_line2",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True, max_length=150, verbose_name="address line 2"
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="installation_postcode",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                max_length=10,
                validators=[example_shop.validators.validate_uk_postcode],
                verbose_name="postcode",
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="installation_town",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                max_length=100, verbose_name="town or city"
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="meter_serial",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True, max_length=40, verbose_name="meter serial number"
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="mpan",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True,
                help_text="The 13-digit bottom line of the MPAN on the electricity bill.",
                max_length=13,
                validators=[example_shop.orders.validators.validate_mpan_core],
                verbose_name="MPAN core",
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="phone",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                max_length=32, validators=[example_shop.validators.validate_phone_number]
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="site_contact_phone",
            field=jsg_privacy.crypto.fields.EncryptedCharField(
                blank=True,
                max_length=32,
                validators=[example_shop.validators.validate_phone_number],
            ),
        ),
        encrypt_fields(
            "orders",
            "order",
            [
                "email",
                "phone",
                "billing_line1",
                "billing_line2",
                "billing_town",
                "billing_postcode",
                "installation_line1",
                "installation_line2",
                "installation_town",
                "installation_postcode",
                "site_contact_phone",
                "access_notes",
                "mpan",
                "meter_serial",
                "agent_email",
                "agent_phone",
            ],
        ),
    ]
