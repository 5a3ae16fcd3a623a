"""Views that set cookies, as shops do: the consent middleware and privacy_scan_cookies see them."""

from django.db import connection
from django.http import HttpRequest, HttpResponse

#: Like django-oscar's ``oscar_history``: a shop's own cookie that nobody declared.
UNDECLARED = "recently_viewed"
#: Declared by the example shop for analytics (consent-based).
ANALYTICS = "_sa_id"
#: Declared as strictly necessary by the tests that use it.
NECESSARY = "basket_token"


def recently_viewed(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    response = HttpResponse("recently viewed")
    response.set_cookie(UNDECLARED, "12,7", max_age=7 * 24 * 3600, httponly=True)
    return response


def analytics(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("analytics")
    response.set_cookie(ANALYTICS, "1234-5678", max_age=365 * 24 * 3600)
    return response


def basket(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("basket")
    response.set_cookie(NECESSARY, "b-1", max_age=14 * 24 * 3600, httponly=True)
    return response


def forget(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("forgotten")
    response.delete_cookie(UNDECLARED)
    return response


def raw_header(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("raw")
    response["Set-Cookie"] = "raw_tracker=1; Path=/"
    return response


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a page that fails")


def broken_query(request: HttpRequest) -> HttpResponse:
    """Fails in the database: on PostgreSQL the transaction is aborted until rolled back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM testapp_no_such_table")
    return HttpResponse("unreachable")
