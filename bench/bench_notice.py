"""The privacy notice page, generated from the registry and cached per version, against a bare view."""

from django.core.cache import cache
from django.test import Client

from bench.runner import Result, compare
from bench.urls import BARE_HTML


def run() -> list[Result]:
    client = Client()
    url = "/privacy/notice/"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    BARE_HTML["body"] = response.content

    def cached():
        return client.get(url)

    def uncached():
        cache.clear()  # every request rebuilds, renders and looks up its version
        return client.get(url)

    def baseline():
        return client.get("/__bench__/bare/")

    return [
        compare("notice page, cached version / bare view", cached, baseline),
        compare("notice page, cache cleared each time / bare view", uncached, baseline, rounds=7),
    ]
