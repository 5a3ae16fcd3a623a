"""The request pages: "Your data" in a customer's account, the public request form, the e-mailed
identity link, and the download of an export.

- Every state-changing request is a CSRF-protected POST. The identity link opens a page whose button
  confirms, so a mail scanner that follows links cannot use up the one-time link.
- The public form answers every address the same way — known, unknown or mistyped — and always
  e-mails the link to the address given: the request is that address's, whoever holds an account.
- A forged or altered link is a 400 page, an expired or used one a 410 page; an unverified request
  never starts an export.
- Rate limits (:mod:`jsg_privacy.requests.ratelimit`) answer 429 with a page saying when to retry.
- An objection to direct marketing takes effect at once, from either page, before any identity
  check (Art. 21(3): it is absolute, and stopping marketing harms nobody); the ledger records it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jsg_privacy import tasks
from jsg_privacy.conf import app_settings
from jsg_privacy.consent.models import Channel as LedgerChannel
from jsg_privacy.flows import erase
from jsg_privacy.registry import Subject
from jsg_privacy.requests import cases, downloads, identity, objection, ratelimit
from jsg_privacy.requests.forms import (
    MARKETING_OBJECTION,
    MARKETING_OBJECTION_LABEL,
    CodeForm,
    PasswordConfirmForm,
    RequestForm,
    RestrictOrObjectForm,
)
from jsg_privacy.requests.models import OPEN_STATUSES, Case, Channel, ExportFile, Kind, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    class AuthenticatedHttpRequest(HttpRequest):
        """A request to a ``login_required`` view, as the type checker sees it (django-stubs
        resolves ``User`` to the project's ``AUTH_USER_MODEL``)."""

        user: User


logger = logging.getLogger("jsg_privacy.requests")

TEMPLATES = "jsg_privacy/requests/"
EXPORT_KINDS = (Kind.ACCESS, Kind.PORTABILITY)
PREPARING = (Status.OPEN, Status.IN_PROGRESS)


# -- shared answers -------------------------------------------------------------------------------


def optional_url(name: str) -> str:
    """The URL named ``name`` if the project has it, else ""."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def contact_email() -> str:
    return str(app_settings.CONTROLLER.get("email", ""))


def too_many(request: HttpRequest, outcome: ratelimit.Outcome) -> HttpResponse:
    minutes = max(1, -(-outcome.retry_after // 60))
    context = {"minutes": minutes, "contact_email": contact_email()}
    response = render(request, TEMPLATES + "too_many.html", context, status=429)
    response["Retry-After"] = str(outcome.retry_after)
    return response


def public_form_limits(request: HttpRequest, email: str) -> HttpResponse | None:
    """The public forms' rate limits, per client and per address: a 429 page once one is hit."""
    for limit, value in (
        (ratelimit.PER_CLIENT, ratelimit.client_value(request)),
        (ratelimit.PER_EMAIL, ratelimit.email_value(email)),
    ):
        outcome = ratelimit.hit(limit, value)
        if not outcome.allowed:
            return too_many(request, outcome)
    return None


def link_problem(
    request: HttpRequest,
    *,
    kind: str,
    problem: str,
    message: str = "",
    offer_new_link: bool = False,
) -> HttpResponse:
    """A clear page for a link that cannot be used. ``problem``: invalid, expired, deleted, used,
    stale, gone, other.

    ``kind``: "verify" (a request's identity link), "download" or "address" (an account's address
    link); ``offer_new_link``: a used download link may ask for a fresh one by e-mail."""
    status = {"invalid": 400, "other": 403}.get(problem, 410)  # expired, used, stale, gone
    context = {
        "kind": kind,
        "problem": problem,
        "message": message,
        "offer_new_link": offer_new_link,
        "address_days": identity.LINK_MAX_AGE.days,
        "contact_email": contact_email(),
        "new_url": reverse("jsg_privacy:requests:new"),
        "hours": app_settings.EXPORT_LINK_MAX_AGE,
        "verify_hours": int(cases.VERIFY_MAX_AGE.total_seconds() // 3600),
    }
    return render(request, TEMPLATES + "link_problem.html", context, status=status)


def account_check() -> str:
    return _("logged-in account holder")


def start_export(request: HttpRequest, case: Case) -> None:
    """Queue the export of a verified case; whoever runs it (inline or a Celery worker) e-mails
    the download link once the file exists."""
    tasks.enqueue(tasks.export_case, case.pk, downloads.base_url(request))


# -- "Your data" in the account -------------------------------------------------------------------


@dataclass
class CaseRow:
    case: Case
    file: ExportFile | None = None
    download_url: str = ""

    @property
    def preparing(self) -> bool:
        return self.case.kind in EXPORT_KINDS and self.case.status in PREPARING


def case_rows(user: Any) -> list[CaseRow]:
    rows = []
    own = Case.objects.filter(user=user).prefetch_related("exports").order_by("-received_at", "-pk")
    for case in own:
        row = CaseRow(case)
        exports = list(case.exports.all())
        if exports:
            row.file = exports[0]
            if row.file.available:
                token = downloads.token_for(row.file)
                row.download_url = reverse("jsg_privacy:requests:download", args=[token])
        rows.append(row)
    return rows


def your_data_context(
    request: HttpRequest, restrict_form: RestrictOrObjectForm | None = None
) -> dict[str, Any]:
    rows = case_rows(request.user)
    return {
        "rows": rows,
        "address": account_address(request.user),
        "address_proven": address_proven(request.user),
        "preparing": any(row.preparing for row in rows),
        "open_erasure": next(
            (
                r.case
                for r in rows
                if r.case.kind == Kind.ERASURE and r.case.status in OPEN_STATUSES
            ),
            None,
        ),
        "restrict_form": restrict_form or RestrictOrObjectForm(),
        "profile_url": optional_url("accounts:profile"),
        "marketing_url": optional_url("jsg_privacy:marketing:preferences"),
        "cookies_url": optional_url("jsg_privacy:cookies"),
        "contact_email": contact_email(),
        "hours": app_settings.EXPORT_LINK_MAX_AGE,
    }


@login_required
@never_cache
@require_safe
def your_data(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATES + "your_data.html", your_data_context(request))


def _account_limit(request: HttpRequest) -> HttpResponse | None:
    outcome = ratelimit.hit(ratelimit.PER_ACCOUNT, str(request.user.pk))
    return None if outcome.allowed else too_many(request, outcome)


@login_required
@require_POST
def request_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    pending = Case.objects.filter(
        user=request.user, kind__in=EXPORT_KINDS, status__in=PREPARING
    ).first()
    if pending is not None:
        note = _("We are already preparing your data (request %(ref)s).")
        messages.info(request, note % {"ref": pending.reference}, fail_silently=True)
        return redirect("jsg_privacy:requests:your-data")
    if (refused := _account_limit(request)) is not None:
        return refused
    case = cases.open_case(
        kind=Kind.ACCESS,
        email=account_address(request.user),
        channel=Channel.ACCOUNT,
        user=request.user,
        identity_check=account_check(),
        actor=request.user,
    )
    start_export(request, case)
    note = _("Request %(ref)s: we are preparing a copy of your data.")
    messages.success(request, note % {"ref": case.reference}, fail_silently=True)
    return redirect("jsg_privacy:requests:your-data")


@login_required
@require_POST
def request_restriction(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RestrictOrObjectForm(request.POST)
    if not form.is_valid():
        context = your_data_context(request, restrict_form=form)
        return render(request, TEMPLATES + "your_data.html", context)
    if (refused := _account_limit(request)) is not None:
        return refused
    marketing_objection = form.cleaned_data["kind"] == MARKETING_OBJECTION
    case = cases.open_case(
        kind=Kind.OBJECTION if marketing_objection else form.cleaned_data["kind"],
        email=account_address(request.user),
        channel=Channel.ACCOUNT,
        user=request.user,
        details=form.cleaned_data["reason"] or str(MARKETING_OBJECTION_LABEL),
        identity_check=account_check(),
        actor=request.user,
    )
    if marketing_objection:
        stop_marketing(case, actor=request.user)
        note = _("Request %(ref)s: all marketing to you has stopped, on every medium.")
        messages.success(request, note % {"ref": case.reference}, fail_silently=True)
        return redirect("jsg_privacy:requests:your-data")
    note = _("Request %(ref)s received. We will reply by e-mail by %(date)s.")
    messages.success(
        request, note % {"ref": case.reference, "date": _day(case.deadline)}, fail_silently=True
    )
    return redirect("jsg_privacy:requests:your-data")


@dataclass
class PlanRow:
    label: str
    rows: int
    deleted: int
    anonymised: int
    held: int
    held_until: date | None
    reason: str


def account_address(user: Any) -> str:
    return str(getattr(user, user.get_email_field_name(), "") or "")


def address_proven(user: Any) -> bool:
    return identity.address_proven(user, account_address(user))


def account_subject(user: Any) -> Subject:
    """The signed-in customer as a subject: the account, and its address only once proven (a
    sign-up proves nothing: records found only by the address may be someone else's)."""
    return Subject(user_id=user.pk, email=account_address(user) if address_proven(user) else "")


def erasure_plan(user: Any) -> list[PlanRow]:
    """What erasing this customer would do, per source, in words the customer sees."""
    subject = account_subject(user)
    plan = []
    for step in erase.plan(subject):
        if not step.rows and not step.reason:
            continue
        until = date.fromisoformat(step.held_until) if step.held_until else None
        plan.append(
            PlanRow(
                step.label,
                step.rows,
                step.deleted,
                step.anonymised,
                step.held,
                until,
                step.reason,
            )
        )
    return plan


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_erasure(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show what erasure would delete and keep; a confirmed POST opens a case for staff."""
    pending = Case.objects.filter(
        user=request.user, kind=Kind.ERASURE, status__in=OPEN_STATUSES
    ).first()
    needs_password = not downloads.recently_confirmed(request)
    posted = request.method == "POST" and pending is None
    form = PasswordConfirmForm(request.user, request.POST if posted and needs_password else None)
    if posted:
        if needs_password:
            who = f"user-{request.user.pk}"
            refused = _check_answer(request, form, who, None, "wrong password")
            if refused is not None:
                return refused
        if not needs_password or form.is_valid():
            if needs_password:
                downloads.remember_confirmed(request)
            if (refused := _account_limit(request)) is not None:
                return refused
            case = cases.open_case(
                kind=Kind.ERASURE,
                email=account_address(request.user),
                channel=Channel.ACCOUNT,
                user=request.user,
                identity_check=_("logged-in account holder, password confirmed"),
                actor=request.user,
            )
            note = _(
                "Request %(ref)s received. We will check it and erase your account by %(date)s."
            )
            messages.success(
                request,
                note % {"ref": case.reference, "date": _day(case.deadline)},
                fail_silently=True,
            )
            return redirect("jsg_privacy:requests:your-data")
    context = {
        "plan": erasure_plan(request.user),
        "form": form,
        "needs_password": needs_password,
        "pending": pending,
        "contact_email": contact_email(),
        "address_proven": address_proven(request.user),
        "address": account_address(request.user),
    }
    return render(request, TEMPLATES + "erase.html", context)


# -- proving the account's address ----------------------------------------------------------------


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else default


@login_required
@require_POST
def send_address_link(request: HttpRequest) -> HttpResponse:
    """E-mail the signed-in customer a link that proves their address (a resend, too)."""
    result = identity.send_link(request, request.user)
    notes = {
        identity.SendResult.SENT: (
            messages.SUCCESS,
            _("We have e-mailed a link to %(email)s. Open it to confirm the address is yours."),
        ),
        identity.SendResult.PROVEN: (messages.INFO, _("%(email)s is confirmed already.")),
        identity.SendResult.NO_ADDRESS: (
            messages.ERROR,
            _("Your account has no e-mail address: add one to your details first."),
        ),
        identity.SendResult.TOO_MANY: (
            messages.ERROR,
            _(
                "We have sent several links in the last hour: please use one of them (each works "
                "for three days), or try again later."
            ),
        ),
        identity.SendResult.FAILED: (
            messages.ERROR,
            _("We could not send you an e-mail just now. Please try later."),
        ),
    }
    level, text = notes[result]
    messages.add_message(
        request, level, text % {"email": account_address(request.user)}, fail_silently=True
    )
    return redirect(_next_url(request, reverse("jsg_privacy:requests:your-data")))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_address(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: a page whose button proves the address (a mail scanner only looks).

    The link proves the address its account has now, for that account only: opened while signed
    in to another account, or after the account's address changed, it changes nothing.
    """
    try:
        found = identity.read_token(token)
    except identity.LinkExpired:
        return link_problem(request, kind="address", problem="expired")
    except identity.NoAccount:
        return link_problem(request, kind="address", problem="gone")
    except identity.LinkError:
        return link_problem(request, kind="address", problem="invalid")
    if request.user.is_authenticated and request.user.pk != found.user.pk:
        return link_problem(request, kind="address", problem="other")
    if not found.current:
        return link_problem(request, kind="address", problem="stale")
    email = account_address(found.user)
    proven = identity.address_proven(found.user, email)
    if request.method == "POST" and not proven:
        identity.record_proof(found.user, email, identity.BY_LINK)
        proven = True
    context = {
        "proven": proven,
        "posted": request.method == "POST",
        "account": found.user,
        "contact_email": contact_email(),
    }
    return render(request, TEMPLATES + "confirm_address.html", context)


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


# -- the public form and the identity link --------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def new_request(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        refused = public_form_limits(request, email)
        if refused is not None:
            return refused
        if form.cleaned_data["kind"] == MARKETING_OBJECTION:
            return _marketing_objection(request, email, form.cleaned_data["details"])
        case = cases.open_case(
            kind=form.cleaned_data["kind"],
            email=email,
            channel=Channel.WEB_FORM,
            details=form.cleaned_data["details"],
        )
        token = cases.verification_token(case)
        link = request.build_absolute_uri(reverse("jsg_privacy:requests:verify", args=[token]))
        try:
            cases.send_verification(case, link)
        except OSError:  # smtplib's errors are OSErrors
            logger.exception("Could not send the identity link of case %s", case.reference)
            form.add_error(None, _("We could not send you an e-mail just now. Please try later."))
            context = {"form": form, "your_data_url": _your_data_url(request)}
            return render(request, TEMPLATES + "new.html", context, status=503)
        return redirect("jsg_privacy:requests:sent")
    context = {"form": form, "your_data_url": _your_data_url(request)}
    return render(request, TEMPLATES + "new.html", context)


def stop_marketing(case: Case, *, actor: Any = None) -> None:
    """An objection to direct marketing: stopped now, on every medium and by partners, with the
    ledger's records (channel "request"); the request is completed (Art. 21(3))."""
    objection.object_to_marketing(
        cases.stated_subject(case), case=case, actor=actor, channel=LedgerChannel.REQUEST
    )


def _marketing_objection(request: HttpRequest, email: str, details: str) -> HttpResponse:
    """From the public form: no identity link to wait for. The address given is suppressed at
    once and told so; every address gets the same answer, known or not."""
    case = cases.open_case(
        kind=Kind.OBJECTION,
        email=email,
        channel=Channel.WEB_FORM,
        details=details or str(MARKETING_OBJECTION_LABEL),
    )
    stop_marketing(case)
    context = {"case": case, "preferences_url": optional_url("jsg_privacy:marketing:preferences")}
    try:
        send_mail(
            subject=render_to_string(TEMPLATES + "stopped_subject.txt", context).strip(),
            message=render_to_string(TEMPLATES + "stopped_body.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    except OSError:  # marketing has stopped anyway; only the confirmation is missing
        logger.exception("Could not confirm the marketing objection of case %s", case.reference)
    else:
        cases.audit(case, "requester told marketing has stopped")
    return redirect("jsg_privacy:requests:stopped")


@never_cache
@require_safe
def stopped(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATES + "stopped.html")


def _your_data_url(request: HttpRequest) -> str:
    return reverse("jsg_privacy:requests:your-data") if request.user.is_authenticated else ""


@never_cache
@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    hours = int(cases.VERIFY_MAX_AGE.total_seconds() // 3600)
    return render(request, TEMPLATES + "sent.html", {"hours": hours})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    case, problem = cases.read_link(token)
    if case is None:
        return link_problem(request, kind="verify", problem=problem)
    if request.method != "POST":
        return render(request, TEMPLATES + "verify.html", {"case": case})
    newly_verified = case.verified_at is None
    try:
        case = cases.verify(token)
    except cases.CaseError as error:
        return link_problem(request, kind="verify", problem="used", message=str(error))
    exporting = newly_verified and case.kind in EXPORT_KINDS
    if exporting:
        start_export(request, case)
    context = {"case": case, "exporting": exporting, "hours": app_settings.EXPORT_LINK_MAX_AGE}
    return render(request, TEMPLATES + "verified.html", context)


# -- downloading an export ------------------------------------------------------------------------


def _check_answer(
    request: HttpRequest, form: Any, who: str, case: Case | None, refusal: str
) -> HttpResponse | None:
    """Refuse when ``who`` gave too many wrong answers; count this one if it is wrong."""
    gate = ratelimit.peek(ratelimit.WRONG_ANSWERS, who)
    if not gate.allowed:
        return too_many(request, gate)
    if not form.is_valid():
        ratelimit.hit(ratelimit.WRONG_ANSWERS, who)
        if case is not None:
            cases.audit(case, "download refused", actor=request.user, detail=refusal)
    return None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def download(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        file = downloads.read_token(token)
    except downloads.LinkExpired:
        return link_problem(request, kind="download", problem="expired")
    except downloads.LinkUsed as used:
        return _used_link(request, used.file)
    except downloads.LinkGone:
        return link_problem(request, kind="download", problem="deleted")
    except downloads.LinkError:
        return link_problem(request, kind="download", problem="invalid")
    if not file.available:
        deleted_early = file.deleted_at is not None and file.deleted_at < file.expires_at
        return link_problem(
            request, kind="download", problem="deleted" if deleted_early else "expired"
        )
    if file.case.user_id is None and file.case.channel == Channel.ACCOUNT:
        # The account that asked was erased or deleted since: its data goes to nobody now.
        return link_problem(request, kind="download", problem="gone")
    if file.case.user_id is not None:
        return _account_download(request, file)
    return _guest_download(request, file, downloads.nonce_of(token))


def _serve(request: HttpRequest, file: ExportFile) -> HttpResponseBase:
    try:
        return downloads.serve(request, file)
    except OSError:
        logger.exception("Export file %s of case %s is missing", file.pk, file.case.reference)
        return link_problem(request, kind="download", problem="deleted")


def _account_download(request: HttpRequest, file: ExportFile) -> HttpResponseBase:
    """The account holder, signed in, with a recently confirmed password."""
    case = file.case
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.pk != case.user_id:
        return link_problem(request, kind="download", problem="other")
    needs_password = not downloads.recently_confirmed(request)
    posted = request.method == "POST"
    form = PasswordConfirmForm(request.user, request.POST if posted else None)
    if posted:
        if needs_password:
            refused = _check_answer(
                request, form, f"user-{request.user.pk}", case, "wrong password"
            )
            if refused is not None:
                return refused
        if not needs_password or form.is_valid():
            if needs_password:
                downloads.remember_confirmed(request)
            return _serve(request, file)
    context = {
        "file": file,
        "case": case,
        "form": form if needs_password else None,
        "account": True,
    }
    return render(request, TEMPLATES + "download.html", context)


#: E-mailed download codes per export file per hour (each also ends the previous code).
CODES_PER_FILE = ratelimit.Limit("download-code", 5)


def _guest_download(request: HttpRequest, file: ExportFile, nonce: str) -> HttpResponseBase:
    """A request without an account: the e-mailed link, plus a one-time code e-mailed now to the
    address the request was made with. The link serves one download."""
    case = file.case
    context: dict[str, Any] = {"file": file, "case": case, "account": False, "code_sent": False}
    status = 200
    form = CodeForm()
    if request.method == "POST" and request.POST.get("action") == "send-code":
        outcome = ratelimit.hit(CODES_PER_FILE, f"export-{file.pk}")
        if not outcome.allowed:
            return too_many(request, outcome)
        try:
            downloads.send_code(file)
        except OSError:
            logger.exception("Could not send the download code of case %s", case.reference)
            form.add_error(None, _("We could not send you an e-mail just now. Please try later."))
            status = 503
        else:
            context["code_sent"] = True
    elif request.method == "POST":
        form = CodeForm(request.POST)
        who = f"export-{file.pk}"
        gate = ratelimit.peek(ratelimit.WRONG_ANSWERS, who)
        if not gate.allowed:
            return too_many(request, gate)
        # Only a well-formed code typed while one is pending counts as a wrong answer: an empty or
        # mistyped form must not let someone holding a leaked link lock the requester out.
        if form.is_valid() and not downloads.code_pending(file):
            form.add_error(
                None,
                _("That code no longer works: codes last %(minutes)d minutes. Ask for a new one.")
                % {"minutes": int(downloads.CODE_MAX_AGE.total_seconds() // 60)}
                if file.code_hash
                else _("Ask for a code first: press “E-mail me a code”."),
            )
        elif form.is_valid():
            if downloads.use_code(file, nonce, form.cleaned_data["code"]):
                return _serve(request, file)
            ratelimit.hit(ratelimit.WRONG_ANSWERS, who)
            cases.audit(case, "download refused", detail="wrong or expired download code")
            form.add_error(
                "code",
                _(
                    "That code is wrong or no longer works. Check the newest e-mail, or ask for a "
                    "new code."
                ),
            )
    context["form"] = form
    context["code_pending"] = downloads.code_pending(file)
    context["code_minutes"] = int(downloads.CODE_MAX_AGE.total_seconds() // 60)
    return render(request, TEMPLATES + "download.html", context, status=status)


def _used_link(request: HttpRequest, file: ExportFile) -> HttpResponse:
    """A guest's link that served its download: offer a fresh one, sent to the same address."""
    if not file.available:
        return link_problem(request, kind="download", problem="expired")
    if request.method == "POST" and request.POST.get("action") == "new-link":
        outcome = ratelimit.hit(CODES_PER_FILE, f"export-{file.pk}")
        if not outcome.allowed:
            return too_many(request, outcome)
        try:
            downloads.send_new_link(file, downloads.base_url(request))
        except OSError:
            logger.exception("Could not send a new download link of case %s", file.case.reference)
            return link_problem(request, kind="download", problem="used")
        return render(request, TEMPLATES + "sent.html", {"new_link": True})
    return link_problem(request, kind="download", problem="used", offer_new_link=True)
