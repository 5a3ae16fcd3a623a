"""The default notifier: an e-mail to the recipient's declared ``contact`` (Art. 19).

The message names the event, the subject's e-mail address (so the recipient can find them), our
reference and the categories the recipient received; for a correction the names of the fields
corrected, never their values. It is sent with a timeout (``JSG_PRIVACY_NOTIFIER_TIMEOUT``): a mail
server that refuses, fails or does not answer in time fails the notice, which is retried later.
Templates: ``jsg_privacy/notifiers/notice_subject.txt`` and ``notice_body.txt``.
"""

from __future__ import annotations

from typing import Any

import django
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string

from jsg_privacy.conf import app_settings
from jsg_privacy.notifiers.base import Notice, Notifier, NotifierError
from jsg_privacy.registry import registry


class EmailNotifier(Notifier):
    """E-mails ``Recipient.contact``; without one, every notice fails until it is declared."""

    def needs_contact(self) -> bool:
        return True

    def send(self, notice: Notice) -> str:
        contact = self.recipient.contact
        if not contact:
            raise NotifierError(
                f"{self.recipient.name} has no contact address declared (Recipient.contact): "
                "declare one, or tell them another way and record it."
            )
        controller = app_settings.CONTROLLER
        context = {
            "event": str(notice.event),
            "recipient": self.recipient,
            "reference": notice.reference,
            "email": notice.email,
            "fields": notice.fields,
            "categories": [
                str(getattr(registry.categories.get(key), "label", key))
                for key in self.recipient.categories
            ],
            "controller_name": controller.get("name", ""),
            "controller_email": controller.get("email", ""),
        }
        message = EmailMessage(
            subject=render_to_string("jsg_privacy/notifiers/notice_subject.txt", context).strip(),
            body=render_to_string("jsg_privacy/notifiers/notice_body.txt", context),
            to=[contact],
            reply_to=[context["controller_email"]] if context["controller_email"] else None,
        )
        try:
            mailer(self.timeout).send_messages([message])
        except OSError as exc:  # smtplib's errors, a refused connection, a timeout
            raise NotifierError(f"The e-mail could not be sent: {describe(exc)}") from exc
        return f"e-mailed {contact}"


def mailer(timeout: float) -> Any:
    """The project's default mail connection (``MAILERS["default"]`` on Django 6.1+, else
    ``EMAIL_BACKEND``), made to give up after ``timeout`` seconds if it waits on a server."""
    if django.VERSION >= (6, 1):
        from django.core.mail import mailers  # type: ignore[attr-defined,unused-ignore]

        connection = mailers.default
    else:
        connection = get_connection()
    current = getattr(connection, "timeout", False)
    if current is not False and (current is None or current > timeout):
        connection.timeout = timeout  # type: ignore[attr-defined]  # SMTP's; others have none
    return connection


def describe(error: BaseException) -> str:
    """A mail error in words staff can act on, without the server's text (it may echo addresses)."""
    cause: BaseException | None = error
    while cause is not None:  # smtplib reports a timeout as "server disconnected"
        if isinstance(cause, TimeoutError):
            return "the mail server did not answer in time"
        cause = cause.__cause__ or cause.__context__
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__
