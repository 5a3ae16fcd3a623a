from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class IgnoreGpcMiddleware:
    """Drops the Global Privacy Control header before the consent layer sees it (broken on purpose)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_SEC_GPC", None)
        return self.get_response(request)
