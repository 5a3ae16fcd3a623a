"""Delivering an export: the signed download link, the e-mail that carries it, re-authentication,
and the file itself.

A link names one export file and its case (``{"f": file id, "r": case reference}``), signed with the
project's secret; it stops working when the file expires (``ExportFile.expires_at``, set from
``JSG_PRIVACY_EXPORT_LINK_MAX_AGE``) and the signature itself expires after the same number of hours.
Having the link is not enough: the person must also be the account holder, signed in with a
recently confirmed password, or — for a request made without an account — type the address the
request was made with (see ``docs/requests.md``).
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.mail import send_mail
from django.http import FileResponse, HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jsg_privacy.conf import app_settings
from jsg_privacy.requests import cases, service
from jsg_privacy.requests.models import ExportFile

SALT = "jsg_privacy.requests.download"
MAX_TOKEN_LENGTH = 2048
LINK_SENT = "download link sent"
DOWNLOADED = "downloaded"
#: How long a password confirmation counts for, in this session.
REAUTH_MAX_AGE = timedelta(minutes=10)
REAUTH_SESSION_KEY = "jsg_privacy.requests.reauth"


class LinkError(Exception):
    """The download link is forged, altered or names no export."""


class LinkExpired(LinkError):
    """The link was genuine but is too old."""


def token_for(file: ExportFile) -> str:
    return signing.dumps({"f": file.pk, "r": file.case.reference}, salt=SALT)


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
        raise LinkError("no such export")
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
    if case.events.filter(action=LINK_SENT, detail=detail).exists():
        return False
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
    cases.audit(case, LINK_SENT, detail=detail)
    return True


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
