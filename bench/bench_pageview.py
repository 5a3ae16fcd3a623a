"""``python -m bench pageview``: the requests one browser page view makes to the shop.

Debian's chromium (Playwright) opens the product page of the example shop served by gunicorn on
PostgreSQL (as ``bench_shop`` serves it). Static files are answered by the browser harness from the
shop's static folders, as a static server or CDN answers them in production: what reaches Django is
what the shop's server pays for. Per visitor: the first page view, the choice (the POST), and the
next two page views; with JavaScript and without.

Without chromium or PostgreSQL it prints why and measures nothing.
"""

from __future__ import annotations

import mimetypes
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.bench_shop import ROOT, Server, set_up, wait_until_up
from bench.runner import Figure
from jsg_privacy.testing.browser import CHROMIUM_ARGS, Unavailable, chromium_path

TITLE = "requests to Django per page view of the product page (chromium, gunicorn, PostgreSQL)"


def run() -> list[Figure]:
    try:
        chromium = chromium_path()
    except Unavailable as missing:
        return [Figure(TITLE, f"not measured: {missing}")]
    env, path, failure = set_up()
    if path is None:
        return [Figure(TITLE, f"not measured: {failure}")]
    return measure(chromium, path, env)


def static_files() -> dict[str, Path]:
    """``/static/<path>`` -> file, from every app's and the shop's static folders."""
    found: dict[str, Path] = {}
    for folder in sorted(ROOT.glob("**/static")):
        if ".venv" in folder.parts or "node_modules" in folder.parts:
            continue
        for file in folder.rglob("*"):
            if file.is_file():
                found.setdefault("/static/" + file.relative_to(folder).as_posix(), file)
    return found


def measure(chromium: str, path: str, env: dict[str, str]) -> list[Figure]:
    from playwright.sync_api import sync_playwright

    server = Server("subject", "privacy")
    files = static_files()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="jsg-bench-pageview-") as scratch:
        try:
            server.start(env, Path(scratch))
            wait_until_up(server, path)
            base = f"http://127.0.0.1:{server.port}"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                try:
                    for label, javascript, choice in (
                        ("accepts all, JavaScript on", True, "Accept all"),
                        ("refuses all, JavaScript on", True, "Reject all"),
                        ("refuses all, JavaScript off", False, "Reject all"),
                    ):
                        counts = visit(browser, base, path, files, javascript, choice)
                        figures.append(Figure(f"{TITLE}, visitor who {label}", counts))
                finally:
                    browser.close()
        finally:
            server.stop()
    return figures


def visit(
    browser: Any, base: str, path: str, files: dict[str, Path], javascript: bool, choice: str
) -> str:
    context = browser.new_context(base_url=base, java_script_enabled=javascript)
    seen: list[str] = []

    def serve_static(route: Any) -> None:
        file = files.get(urlsplit(route.request.url).path)
        if file is None:
            route.fulfill(status=404, body="")
            return
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=file.read_bytes(), headers={"Content-Type": kind})

    context.route("**/static/**", serve_static)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on(
        "request",
        lambda r: (
            seen.append(urlsplit(r.url).path)
            if r.url.startswith(base) and "/static/" not in r.url
            else None
        ),
    )

    def step(action: Any) -> list[str]:
        seen.clear()
        action()
        page.wait_for_load_state("networkidle")
        return list(seen)

    try:
        first = step(lambda: page.goto(path))
        chosen = step(lambda: page.locator("#jsg-cb").get_by_role("button", name=choice).click())
        after = [step(lambda: page.goto(path)) for _ in range(2)]
        hidden = not page.locator("#jsg-cb").is_visible()
    finally:
        context.close()
    return (
        f"first view {len(first)} ({', '.join(first)}); the choice {len(chosen)} "
        f"({', '.join(chosen)}); next views {len(after[0])} and {len(after[1])} "
        f"({', '.join(after[1])}); banner {'hidden' if hidden else 'STILL SHOWN'} after the choice"
    )
