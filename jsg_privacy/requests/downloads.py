"""Delivering an export: the signed download link, the e-mail that carries it, the second factor,
and the file itself.

A link names one export file, its case and the file's current link nonce (``{"f", "r", "n"}``),
signed with the project's secret; it stops working when the file expires (``ExportFile.expires_at``,
set from ``JSG_PRIVACY_EXPORT_LINK_MAX_AGE``) and the signature itself expires after the same number
of hours. Having the link is not enough:

- the account holder signs in and confirms their password (recently confirmed in this session);
- a requester without an account asks for a one-time code, e-mailed at download time to the address
  the request was made with, and types it (:func:`send_code`, :func:`use_code`). A code works for
  :data:`CODE_MAX_AGE` and :data:`CODE_ATTEMPTS` wrong answers; a download draws a new link nonce,
  so each e-mailed link serves one download (a used link can ask for a fresh one, sent to the same
  address). See ``docs/requests.md``.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from jsg_privacy.conf import app_settings
from jsg_privacy.requests import cases, service
from jsg_privacy.requests.models import ExportFile, new_nonce

SALT = "jsg_privacy.requests.download"
MAX_TOKEN_LENGTH = 2048
LINK_SENT = "download link sent"
DOWNLOADED = "downloaded"
#: How long a password confirmation counts for, in this session.
REAUTH_MAX_AGE = timedelta(minutes=10)
REAUTH_SESSION_KEY = "jsg_privacy.requests.reauth"
#: How long an e-mailed download code works, and how many wrong answers it takes.
CODE_MAX_AGE = timedelta(minutes=15)
CODE_ATTEMPTS = 5
CODE_DIGITS = 6
CODE_SALT = "jsg_privacy.requests.download-code"
CODE_SENT = "download code sent"


class LinkError(Exception):
    """The download link is forged, altered or names no export."""


class LinkExpired(LinkError):
    """The link was genuine but is too old."""


class LinkGone(LinkError):
    """The link was genuine, but its export no longer exists: deleted with its request."""


class LinkUsed(LinkError):
    """The link was genuine, but its file was downloaded with it already (no account)."""

    def __init__(self, file: ExportFile) -> None:
        super().__init__("used")
        self.file = file


def token_for(file: ExportFile) -> str:
    return signing.dumps({"f": file.pk, "r": file.case.reference, "n": file.link_nonce}, salt=SALT)


def read_token(token: Any) -> ExportFile:
    """The export a link names; raises :class:`LinkError` or :class:`LinkExpired`."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkError("missing or too long")
    max_age = timedelta(hours=app_settings.EXPORT_LINK_MAX_AGE)
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired(str(exc)) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkError(str(exc)) from exc
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("f"), int)
        and isinstance(payload.get("r"), str)
    ):
        raise LinkError("malformed")
    file = (
        ExportFile.objects.select_related("case")
        .filter(pk=payload["f"], case__reference=payload["r"])
        .first()
    )
    if file is None:
        if ExportFile.objects.filter(pk=payload["f"]).exists():
            raise LinkError("names another case")
        raise LinkGone("no such export")  # deleted, with its request
    if file.case.user_id is None and payload.get("n") != file.link_nonce:
        raise LinkUsed(file)
    return file


def link(file: ExportFile, base_url: str) -> str:
    """The absolute download link; ``base_url`` is the site's ``scheme://host``."""
    path = reverse("jsg_privacy:requests:download", args=[token_for(file)])
    return base_url.rstrip("/") + path


def notify_ready(file: ExportFile, base_url: str) -> bool:
    """E-mail the requester the link to their export, once per file; whether it was sent now."""
    case = file.case
    detail = f"export file {file.pk}"
    if not case.email or not file.available:
        return False
    if any(event.detail == detail for event in case.events.filter(action=LINK_SENT)):
        return False  # (details are encrypted: compared here, not in the database)
    _mail_link(file, base_url)
    cases.audit(case, LINK_SENT, detail=detail)
    return True


def _mail_link(file: ExportFile, base_url: str) -> None:
    case = file.case
    context = {
        "case": case,
        "link": link(file, base_url),
        "expires_at": file.expires_at,
        "account": case.user_id is not None,
    }
    send_mail(
        subject=render_to_string("jsg_privacy/requests/ready_subject.txt", context).strip(),
        message=render_to_string("jsg_privacy/requests/ready_body.txt", context),
        from_email=None,
        recipient_list=[case.email],
    )


def notify_case(case_id: int, base_url: str) -> bool:
    """After an export ran: e-mail the link to the case's newest file, if there is one yet."""
    file = ExportFile.objects.select_related("case").filter(case_id=case_id).first()
    return file is not None and notify_ready(file, base_url)


def base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


# -- re-authentication ----------------------------------------------------------------------------


def recently_confirmed(request: HttpRequest) -> bool:
    """Whether the signed-in user confirmed their password in this session in the last minutes."""
    confirmed = request.session.get(REAUTH_SESSION_KEY)
    if not isinstance(confirmed, dict) or confirmed.get("user") != str(request.user.pk):
        return False
    at = confirmed.get("at")
    return isinstance(at, int | float) and 0 <= time.time() - at < REAUTH_MAX_AGE.total_seconds()


def remember_confirmed(request: HttpRequest) -> None:
    request.session[REAUTH_SESSION_KEY] = {"user": str(request.user.pk), "at": int(time.time())}


# -- the one-time code, for a requester without an account -------------------------------------


def _code_hash(file: ExportFile, code: str) -> str:
    return salted_hmac(
        CODE_SALT, f"{file.pk}:{file.link_nonce}:{code}", algorithm="sha256"
    ).hexdigest()


def code_pending(file: ExportFile) -> bool:
    """Whether a code was sent for this link and can still be used."""
    return bool(file.code_hash) and bool(
        file.code_expires_at and file.code_expires_at > timezone.now()
    )


def send_code(file: ExportFile) -> None:
    """E-mail a new one-time code to the address the request was made with; the previous code
    stops working. ``OSError`` if the mail server cannot take it (nothing is changed then)."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    case = file.case
    context = {"case": case, "code": code, "minutes": int(CODE_MAX_AGE.total_seconds() // 60)}
    with transaction.atomic():
        ExportFile.objects.filter(pk=file.pk).update(
            code_hash=_code_hash(file, code),
            code_expires_at=timezone.now() + CODE_MAX_AGE,
            code_attempts=0,
        )
        send_mail(
            subject=render_to_string("jsg_privacy/requests/code_subject.txt", context).strip(),
            message=render_to_string("jsg_privacy/requests/code_body.txt", context),
            from_email=None,
            recipient_list=[case.email],
        )
        cases.audit(case, CODE_SENT, detail=f"export file {file.pk}")
    file.refresh_from_db(fields=["code_hash", "code_expires_at", "code_attempts"])


def use_code(file: ExportFile, nonce: str, code: Any) -> bool:
    """Whether ``code`` is the file's pending code for the link carrying ``nonce``.

    Right: the code is used up and the file gets a new link nonce, so the link that served this
    download serves no other. Wrong: counted; after :data:`CODE_ATTEMPTS` the code stops working.
    """
    code = str(code or "").strip().replace(" ", "")
    with transaction.atomic():
        locked = ExportFile.objects.select_for_update().get(pk=file.pk)
        if locked.link_nonce != nonce or not code_pending(locked):
            return False
        if not constant_time_compare(locked.code_hash, _code_hash(locked, code)):
            ExportFile.objects.filter(pk=file.pk).update(code_attempts=F("code_attempts") + 1)
            if locked.code_attempts + 1 >= CODE_ATTEMPTS:
                ExportFile.objects.filter(pk=file.pk).update(code_hash="", code_expires_at=None)
            return False
        ExportFile.objects.filter(pk=file.pk).update(
            code_hash="", code_expires_at=None, code_attempts=0, link_nonce=new_nonce()
        )
    file.refresh_from_db(fields=["code_hash", "code_expires_at", "code_attempts", "link_nonce"])
    return True


def nonce_of(token: str) -> str:
    """The link nonce a token carries (the token was read by :func:`read_token` already)."""
    payload = signing.loads(token, salt=SALT)
    return str(payload.get("n", ""))


def send_new_link(file: ExportFile, base_url: str) -> None:
    """E-mail a fresh link for a file whose link was used, to the request's address."""
    _mail_link(file, base_url)
    cases.audit(file.case, "new download link sent", detail=f"export file {file.pk}")


# -- the file -------------------------------------------------------------------------------------


def serve(request: HttpRequest, file: ExportFile) -> FileResponse:
    """Stream the file as an attachment and record the download; ``OSError`` if it is gone."""
    handle = service.storage().open(file.name, "rb")
    file.downloaded_at = timezone.now()
    file.save(update_fields=["downloaded_at"])
    cases.audit(file.case, DOWNLOADED, actor=request.user, detail=f"export file {file.pk}")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{file.case.reference}-your-data.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response
