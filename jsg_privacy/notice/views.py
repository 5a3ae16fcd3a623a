from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from jsg_privacy.models import NoticeVersion
from jsg_privacy.notice import versions


@require_safe
def notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice, generated from the registry."""
    published = versions.current()
    return render(
        request,
        "jsg_privacy/notice/notice.html",
        {"notice": published.content, "notice_html": published.html, "published": published},
    )


@require_safe
def notice_json(request: HttpRequest) -> JsonResponse:
    """The same content as JSON, with its version hash and first publication date."""
    published = versions.current()
    return JsonResponse(
        {
            "version": published.digest,
            "published_at": published.published_at.isoformat(),
            "notice": published.content,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def history(request: HttpRequest) -> HttpResponse:
    """Every version of the notice, newest first, so anyone can read what was shown when."""
    versions.current()  # make sure the version being served today is listed
    return render(
        request,
        "jsg_privacy/notice/history.html",
        {"versions": NoticeVersion.objects.only("digest", "language", "published_at")},
    )


@require_safe
def version_detail(request: HttpRequest, digest: str) -> HttpResponse:
    """One past version, exactly as it was published."""
    matches = NoticeVersion.objects.filter(digest=digest)
    version = matches.filter(language=get_language()).first() or matches.first()
    if version is None:
        raise Http404("No privacy notice version has this hash.")
    return render(
        request,
        "jsg_privacy/notice/version.html",
        {"notice": version.content, "version": version},
    )
