"""The shop's URLs plus a bare view that returns fixed HTML: the baseline of the benchmarks."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

BARE_HTML = {"body": b""}


def bare(request: HttpRequest) -> HttpResponse:
    """No ORM, no templates: the cost of Django's request/response cycle and middleware alone."""
    return HttpResponse(BARE_HTML["body"])


urlpatterns = [path("__bench__/bare/", bare), path("", include("example_shop.urls"))]
