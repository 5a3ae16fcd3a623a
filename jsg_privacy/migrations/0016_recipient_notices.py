"""Art. 19 notices to recipients, recorded on requests; a request can wait for recipients; the
ledger names objections made through a data-subject request."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import jsg_privacy.crypto.fields


class Migration(migrations.Migration):
    dependencies = [
        ("jsg_privacy", "0015_staff_access_lists_searches_and_actions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="status",
            field=models.CharField(
                choices=[
                    ("unverified", "awaiting identity check"),
                    ("open", "open"),
                    ("in_progress", "in progress"),
                    ("completed", "completed"),
                    ("refused", "refused"),
                    ("failed", "failed (can be retried)"),
                    ("waiting", "waiting for recipients"),
                ],
                default="unverified",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="consentrecord",
            name="channel",
            field=models.CharField(
                choices=[
                    ("banner", "cookie banner"),
                    ("checkout", "checkout"),
                    ("signup", "sign-up"),
                    ("preferences", "preferences page"),
                    ("unsubscribe", "unsubscribe link"),
                    ("gpc", "Global Privacy Control"),
                    ("staff", "staff"),
                    ("api", "API"),
                    ("login", "log-in"),
                    ("double_opt_in", "confirmation e-mail"),
                    ("request", "data-subject request"),
                ],
                max_length=16,
                verbose_name="channel",
            ),
        ),
        migrations.CreateModel(
            name="RecipientNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recipient", models.CharField(max_length=64, verbose_name="recipient")),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("erased", "erasure (Art. 17)"),
                            ("rectified", "correction (Art. 16)"),
                            ("restricted", "restriction of processing (Art. 18)"),
                            ("lifted", "restriction lifted (Art. 18(3))"),
                        ],
                        max_length=16,
                        verbose_name="told of",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "to be sent"),
                            ("sent", "sent"),
                            ("failed", "failed (retried later)"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="recorded"
                    ),
                ),
                (
                    "last_attempt_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last attempt"),
                ),
                (
                    "next_attempt_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="next attempt"),
                ),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent")),
                ("result", models.CharField(blank=True, max_length=255, verbose_name="result")),
                ("error", models.CharField(blank=True, max_length=255, verbose_name="last error")),
                (
                    "fields",
                    models.JSONField(blank=True, default=list, verbose_name="fields corrected"),
                ),
                ("subject_key", models.CharField(blank=True, editable=False, max_length=64)),
                (
                    "email",
                    jsg_privacy.crypto.fields.EncryptedEmailField(
                        blank=True,
                        editable=False,
                        max_length=254,
                        verbose_name="subject's e-mail address",
                    ),
                ),
                (
                    "references",
                    jsg_privacy.crypto.fields.EncryptedTextField(blank=True, editable=False),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="recipient_notices",
                        to="jsg_privacy.case",
                        verbose_name="request",
                    ),
                ),
                (
                    "restriction",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="recipient_notices",
                        to="jsg_privacy.restriction",
                        verbose_name="restriction",
                    ),
                ),
            ],
            options={
                "verbose_name": "recipient notice (Art. 19)",
                "verbose_name_plural": "recipient notices (Art. 19)",
                "ordering": ["created_at", "pk"],
                "indexes": [
                    models.Index(fields=["status", "next_attempt_at"], name="jsg_notice_due_idx")
                ],
            },
        ),
    ]
