"""Staff inside Saleor's dashboard: the app's page, and the calls it makes for the signed-in staff
member (:mod:`.appbridge`) — a customer's cases with their deadlines and the plan of their erasure,
the one-click export of their data, and the list of unfinished cases.

The page itself holds no data: it is the same for everyone, so the dashboard may frame it. Each call
carries the staff member's app-bridge token in a header (never a cookie, so a cross-site page cannot
make one: the POST is exempt from CSRF for that reason). What staff do goes through the same cases
and audit trail as the Django admin; the staff member's Saleor id and address are recorded on it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from jsg_privacy.audit import access
from jsg_privacy.audit.models import StaffAccess
from jsg_privacy.flows import erase
from jsg_privacy.integrations.saleor import queries
from jsg_privacy.integrations.saleor.appbridge import (
    PERMISSION,
    NotAuthenticated,
    NotPermitted,
    Staff,
    authenticate,
)
from jsg_privacy.integrations.saleor.client import Client, SaleorError, SaleorUnavailable
from jsg_privacy.integrations.saleor.models import Customer, CustomerEmail
from jsg_privacy.registry import Subject
from jsg_privacy.requests import cases
from jsg_privacy.requests.admin.export import export_response
from jsg_privacy.requests.models import UNFINISHED_STATUSES, Case, Channel, Kind

logger = logging.getLogger("jsg_privacy.saleor")

MAX_ID = 200
#: The most unfinished cases the page lists, soonest deadline first.
LISTED = 200


class NoCustomer(Exception):
    """The call names no customer of the store; the message says why (shown to staff)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


StaffView = Callable[[HttpRequest, Staff], HttpResponseBase]


def staff_only(view: StaffView) -> Callable[[HttpRequest], HttpResponseBase]:
    """Answer 401 without a valid app-bridge token and 403 without ``MANAGE_USERS``, doing nothing."""

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponseBase:
        try:
            staff = authenticate(request)
        except NotAuthenticated as error:
            response = _error(str(error), 401)
            response["WWW-Authenticate"] = 'Bearer realm="saleor-dashboard"'
            return response
        except NotPermitted as error:
            return _error(str(error), 403)
        except SaleorError:  # the store's keys had to be fetched again, and it did not answer
            return _error(_("The store's signing keys could not be fetched; try again."), 503)
        return view(request, staff)

    return never_cache(wrapped)


@xframe_options_exempt  # shown in the dashboard's iframe; it holds no data and changes nothing
@never_cache
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    """The app's page (``appUrl``) and the customer's "more actions" entry: a shell whose script
    takes the token from the dashboard and makes the calls below."""
    return render(request, "jsg_privacy/saleor/dashboard.html", {"permission": PERMISSION})


def customer_email(staff: Staff, customer_id: Any) -> str:
    """The address of the store's customer ``customer_id``: from the app's index, else from Saleor."""
    if not isinstance(customer_id, str) or not customer_id.strip() or len(customer_id) > MAX_ID:
        raise NoCustomer(_("Name a customer by their Saleor id."), 400)
    known = Customer.objects.filter(installation=staff.installation, saleor_id=customer_id).first()
    if known is not None and known.email:
        return str(known.email)
    client = Client(staff.installation.api_url, staff.installation.token)
    try:
        user = client.execute(queries.CUSTOMER_BY_ID, {"id": customer_id}).get("user")
    except SaleorUnavailable:
        raise NoCustomer(_("The store could not be reached; try again."), 503) from None
    except SaleorError:
        user = None
    if not isinstance(user, dict) or not isinstance(user.get("email"), str) or not user["email"]:
        raise NoCustomer(_("The store has no customer with this id."), 404)
    return str(user["email"])


def _any_address(staff: Staff, customer_id: str, email: str) -> Q:
    """Cases under the customer's address or any they had before in the store (its history)."""
    earlier = CustomerEmail.objects.filter(installation=staff.installation, saleor_id=customer_id)
    found = Q(email_digest__matches=email)
    for old in earlier:
        found |= Q(email_digest__matches=str(old.email))
    return found


def _case_rows(rows: Iterable[Case]) -> list[dict[str, Any]]:
    """The cases as the page lists them; overdue as the admin counts it (clock running, not
    paused for clarification, past the due date or the extension)."""
    overdue = set(Case.objects.overdue().values_list("pk", flat=True))
    return [
        {
            "reference": case.reference,
            "kind": case.get_kind_display(),
            "status": case.get_status_display(),
            "received": case.received_at.date().isoformat(),
            "due": (case.extended_until or case.due_on).isoformat(),
            "overdue": case.pk in overdue,
        }
        for case in rows
    ]


@require_GET
@staff_only
def cases_view(request: HttpRequest, staff: Staff) -> JsonResponse:
    """Without ``customer``: the unfinished cases, soonest deadline first. With a customer's
    Saleor id: their cases (all of them) and what erasing them would do."""
    customer_id = request.GET.get("customer")
    if customer_id is None:
        deadline = Coalesce("extended_until", "due_on")
        unfinished = Case.objects.filter(status__in=UNFINISHED_STATUSES).order_by(deadline, "pk")
        return JsonResponse({"staff": staff.email, "cases": _case_rows(unfinished[:LISTED])})
    try:
        email = customer_email(staff, customer_id)
    except NoCustomer as error:
        return _error(str(error), error.status)
    subject = Subject(email=email)
    plan = erasure_plan(subject)
    _record_access(staff, subject, StaffAccess.Action.VIEW, "cases and erasure plan")
    rows = Case.objects.filter(_any_address(staff, customer_id, email))
    rows = rows.order_by("-received_at", "-pk")
    return JsonResponse(
        {
            "staff": staff.email,
            "customer": {"id": customer_id, "email": email},
            "cases": _case_rows(rows),
            "plan": plan,
        }
    )


def erasure_plan(subject: Subject) -> list[dict[str, Any]]:
    """What erasing ``subject`` would do, per source. A source in another system that cannot count
    its records beforehand (the store's own: account, orders, checkouts, gift cards) says what
    erasure does to them with ``rows`` ``None`` — never "0, nothing to do", which is what its step
    reads (no rows counted) and what staff saw in Saleor's dashboard before."""
    rows = []
    for step in erase.plan(subject):
        if not step.rows and not step.reason:
            continue  # a table of this shop with nothing of theirs
        if step.counted:
            rows.append({"source": step.label, "rows": step.rows, "action": step.action})
        else:
            rows.append({"source": step.label, "rows": None, "action": step.reason})
    return rows


def _record_access(
    staff: Staff, subject: Subject, action: str, what: str, object_id: str = ""
) -> None:
    """The staff access log, as for the admin's staff; the staff member is Saleor's, so named."""
    StaffAccess.objects.create(
        staff=None,
        action=action,
        subject_key=access.key_of(subject),
        model="saleor.Customer",
        object_id=object_id,
        fields=what,
        context=f"Saleor dashboard: {staff}"[:200],
    )


# Exempt from CSRF because no cookie authenticates it: the staff member's app-bridge token comes in
# a header, which a cross-site page cannot set, and is verified against the store's JWKS.
@csrf_exempt
@require_POST
@staff_only
def export_view(request: HttpRequest, staff: Staff) -> HttpResponseBase:
    """One click on a customer: their ZIP, recorded as a completed access case opened by staff."""
    try:
        customer_id = json.loads(request.body or b"{}").get("customer")
    except (ValueError, AttributeError, RecursionError):
        return _error(_("The body is not a JSON object."), 400)
    try:
        email = customer_email(staff, customer_id)
    except NoCustomer as error:
        return _error(str(error), error.status)
    case = cases.open_case(
        kind=Kind.ACCESS,
        email=email,
        channel=Channel.SALEOR,
        details=_("Exported by staff from Saleor's dashboard (Saleor user %(id)s).")
        % {"id": customer_id},
        identity_check=_(
            "staff export from Saleor's dashboard by %(staff)s: the account holder, "
            "as held on record"
        )
        % {"staff": staff},
        address_check=_("the address of the customer's account in the Saleor store"),
    )
    subject, withheld = cases.subject_of(case), cases.address_withheld(case)
    name = f"{case.reference}-personal-data.zip"
    try:
        response, summary = export_response(subject, name, address_withheld=withheld)
    except Exception as exc:  # recorded on the case; staff may try again
        logger.exception("Export of case %s from Saleor's dashboard failed", case.reference)
        cases.fail(case, _("The export failed: %(error)s.") % {"error": type(exc).__name__})
        message = _("The export failed (recorded on %(ref)s); try again.")
        return _error(message % {"ref": case.reference}, 503)
    detail = f"{summary.total} records from {len(summary.rows)} sources, by {staff}"
    cases.audit(case, "exported by Saleor staff", detail=detail)
    cases.record_search(case, summary.search_record)
    _record_access(
        staff, subject, StaffAccess.Action.EXPORT, "all personal data (ZIP)", case.reference
    )
    cases.complete(
        case, {**(case.outcome or {}), "exported_by_staff": True, "saleor_staff": staff.user_id}
    )
    response["X-Case-Reference"] = case.reference
    return response
