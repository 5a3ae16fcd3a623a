"""``python -m bench shop``: the example shop as a shop owner runs it, with jsg_privacy and without.

Three gunicorn servers (one sync worker each) serve the product page from one PostgreSQL database
(``BENCH_DATABASE_URL``): the shop with jsg_privacy, the same shop without it
(:mod:`bench.shop_settings`), and a second copy of the shop without it, the self-check. One client
asks them in turn, one request each, the order turning every round, so the machine's noise falls on
all three alike. Per visitor — first-time (no cookie), refused all, accepted all (the usage log then
buffers the page view and the writer thread writes it) — and per round: the ratio of the median
latencies, subject / baseline and baseline copy / baseline. Printed: the median ratio over the
rounds with the middle half of the rounds, pages per second of one client, p50 and p99 ratios,
the self-check beside each. A request that fails or times out is counted, never a crash.

After the rounds the servers are stopped gracefully, and the page views the shop's usage log holds
are counted against the accepted visitor's requests: a clean shutdown loses none. Then a fresh
server takes an accepted visitor's page views for a few seconds and its worker is killed (SIGKILL):
the page views lost are what a crash costs the log.

Without a reachable PostgreSQL it prints why and measures nothing. ``JSG_BENCH_SHOP_ROUNDS``
(default 12) and ``JSG_BENCH_SHOP_REQUESTS`` (per server per round, default 30) set the size.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.runner import Figure, quartiles, verdict

ROUNDS = int(os.environ.get("JSG_BENCH_SHOP_ROUNDS", "12"))
REQUESTS = int(os.environ.get("JSG_BENCH_SHOP_REQUESTS", "30"))
WARM_UP = 20
TIMEOUT = 10.0
TARGET = 1.05
ROOT = Path(__file__).resolve().parent.parent
NAME = "product page under gunicorn on PostgreSQL, shop with jsg_privacy / without"


def set_up() -> tuple[dict[str, str], str | None, str]:
    """Set up the database the servers share, in a process of its own: the environment for the
    servers, the path of the product page (None if set-up failed) and what went wrong."""
    env = {**os.environ, "JSG_BENCH_POSTGRES": "1", "DJANGO_SETTINGS_MODULE": "bench.settings"}
    prepared = subprocess.run(
        [sys.executable, "-m", "bench.bench_shop", "prepare"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = prepared.stdout.strip().splitlines()
    if prepared.returncode or not lines or not lines[-1].startswith("/"):
        return env, None, (lines or [prepared.stderr[-500:] or "no output"])[-1]
    return env, lines[-1], ""


def run() -> list[Figure]:
    env, path, failure = set_up()
    if path is None:
        return [Figure(NAME, f"not measured: {failure}")]
    return measure(path, env)


# The servers --------------------------------------------------------------------------------


@dataclass
class Server:
    label: str
    variant: str
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    def start(self, env: dict[str, str], scratch: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = scratch / f"{self.label}.log"
        self.process = subprocess.Popen(  # noqa: S603 -- our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "example_shop.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--graceful-timeout",
                "20",
                "--error-logfile",
                str(self.log),
            ],
            cwd=ROOT,
            env={
                **env,
                "DJANGO_SETTINGS_MODULE": "bench.shop_settings",
                "JSG_BENCH_SHOP_VARIANT": self.variant,
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        """SIGTERM: gunicorn's graceful stop (the worker's atexit writes what its log holds)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def get(port: int, path: str, cookie: str = "", method: str = "GET", body: str = "") -> Any:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    headers = {"Host": "127.0.0.1", "Cookie": cookie} if cookie else {"Host": "127.0.0.1"}
    if method == "POST":
        headers.update(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Sec-Fetch-Site": "same-origin",
                "Origin": f"http://127.0.0.1:{port}",
            }
        )
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def wait_until_up(server: Server, path: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            log = server.log.read_text() if server.log and server.log.exists() else ""
            raise RuntimeError(f"{server.label} server exited:\n{log[-3000:]}")
        try:
            if get(server.port, path).status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{server.label} server did not answer within 60 s")


def consent_cookie(port: int, choice: str) -> str:
    """The cookies the shop sets for "Accept all" / "Reject all", as a Cookie header."""
    response = get(port, f"/privacy/cookies/{choice}/", method="POST", body="all=1&next=/")
    if response.status != 302:
        raise RuntimeError(f"{choice}: answered {response.status}")
    pairs = [h.split(";", 1)[0] for k, h in response.getheaders() if k.lower() == "set-cookie"]
    if choice == "accept":  # what the shop's analytics tag then sets
        pairs += ["_sa_id=1234-5678", "_sa_s_m4k2x9=1"]
    return "; ".join(pairs)


# Measuring ----------------------------------------------------------------------------------


@dataclass
class Side:
    latencies: list[float] = field(default_factory=list)
    failed: int = 0
    round_medians: list[float] = field(default_factory=list)


def timed(port: int, path: str, cookie: str, side: Side) -> float | None:
    start = time.perf_counter()
    try:
        response = get(port, path, cookie)
        ok = response.status == 200
    except OSError:
        ok = False
    elapsed = time.perf_counter() - start
    if not ok:
        side.failed += 1
        return None
    side.latencies.append(elapsed)
    return elapsed


def compare_visitor(servers: list[Server], path: str, cookie: str) -> dict[str, Side]:
    sides = {s.label: Side() for s in servers}
    for server in servers:  # warm-up: templates, connections, caches
        for _ in range(WARM_UP):
            timed(server.port, path, cookie, Side())
    for round_ in range(ROUNDS):
        order = servers[round_ % len(servers) :] + servers[: round_ % len(servers)]
        this_round: dict[str, list[float]] = {s.label: [] for s in servers}
        for _ in range(REQUESTS):
            for server in order:
                elapsed = timed(server.port, path, cookie, sides[server.label])
                if elapsed is not None:
                    this_round[server.label].append(elapsed)
        for label, values in this_round.items():
            if values:
                sides[label].round_medians.append(statistics.median(values))
    return sides


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)] if ordered else 0.0


def ratios(a: Side, b: Side) -> list[float]:
    return [x / y for x, y in zip(a.round_medians, b.round_medians, strict=False) if y]


def describe(visitor: str, sides: dict[str, Side]) -> Figure:
    subject, baseline, copy = sides["subject"], sides["baseline"], sides["self-check"]
    per_round, checks = ratios(subject, baseline), ratios(copy, baseline)
    if not per_round or not checks:
        return Figure(f"{NAME}, {visitor}", f"not measured: failed {subject.failed} requests")
    ratio, check = statistics.median(per_round), statistics.median(checks)
    low, high = quartiles(per_round)
    check_low, check_high = quartiles(checks)
    pages = [1 / statistics.mean(s.latencies) for s in (subject, baseline)]
    p50 = percentile(subject.latencies, 0.5) / percentile(baseline.latencies, 0.5)
    p99 = percentile(subject.latencies, 0.99) / percentile(baseline.latencies, 0.99)
    failed = sum(s.failed for s in sides.values())
    return Figure(
        f"{NAME}, {visitor}",
        f"{ratio:.2f}x (median of {len(per_round)} rounds x {REQUESTS} requests each, middle "
        f"half {low:.2f}-{high:.2f}x; self-check baseline copy/baseline {check:.2f}x, middle half "
        f"{check_low:.2f}-{check_high:.2f}x); {pages[0]:.0f} vs {pages[1]:.0f} pages/s for one "
        f"client; p50 {p50:.2f}x, p99 {p99:.2f}x; {failed} failed requests; "
        f"{verdict(ratio, TARGET)}",
    )


def measure(path: str, env: dict[str, str]) -> list[Figure]:
    import tempfile

    servers = [
        Server("subject", "privacy"),
        Server("baseline", "bare"),
        Server("self-check", "bare"),
    ]
    figures: list[Figure] = []
    accepted_requests = 0
    with tempfile.TemporaryDirectory(prefix="jsg-bench-shop-") as scratch:
        try:
            for server in servers:
                server.start(env, Path(scratch))
            for server in servers:
                wait_until_up(server, path)
            subject_port = servers[0].port
            visitors = [
                ("first-time visitor", ""),
                ("visitor who refused all", consent_cookie(subject_port, "decline")),
                ("visitor who accepted all", consent_cookie(subject_port, "accept")),
            ]
            before = count_page_views(env)
            for visitor, cookie in visitors:
                sides = compare_visitor(servers, path, cookie)
                figures.append(describe(visitor, sides))
                if cookie and "accept" in visitor:
                    accepted_requests = WARM_UP + len(sides["subject"].latencies)
        finally:
            for server in servers:
                server.stop()
        written = count_page_views(env) - before
        figures.append(
            Figure(
                "usage log after a graceful stop (SIGTERM) of the shop's server",
                f"{written} page views written for {accepted_requests} requests of the visitor who "
                f"accepted; {'none lost' if written == accepted_requests else 'LOST some'}",
            )
        )
        figures.append(crash_loss(path, env, Path(scratch)))
    return figures


CRASH_SECONDS = 5.0


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def crash_loss(path: str, env: dict[str, str], scratch: Path) -> Figure:
    """Page views of an accepted visitor for a few seconds, then the worker killed (SIGKILL): how
    many of them the usage log lost (what waited in memory since the writer's last write)."""
    server = Server("crash", "privacy")
    name = "usage log when the shop's worker is killed (SIGKILL) mid-traffic"
    try:
        server.start(env, scratch)
        wait_until_up(server, path)
        cookie = consent_cookie(server.port, "accept")
        before = count_page_views(env)
        sent, end = 0, time.monotonic() + CRASH_SECONDS
        while time.monotonic() < end:
            with contextlib.suppress(OSError):
                sent += get(server.port, path, cookie).status == 200
        workers = children(server.process.pid) if server.process else []
        for worker in workers:
            os.kill(worker, signal.SIGKILL)
        time.sleep(1)
    finally:
        server.stop()
    if not workers:
        return Figure(name, "not measured: no worker process found")
    lost = sent - (count_page_views(env) - before)
    return Figure(
        name,
        f"{lost} of {sent} page views lost in {CRASH_SECONDS:.0f} s of traffic (the bound: what "
        f"waited since the writer's last write, at most JSG_PRIVACY_USAGE_FLUSH_SECONDS = 2 s "
        "of page views; with a Redis buffer, none that reached Redis)",
    )


def count_page_views(env: dict[str, str]) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_shop", "count"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(done.stdout.strip().splitlines()[-1])


# In the PostgreSQL process -------------------------------------------------------------------


def prepare() -> str:
    """Migrate the bench database and make a product; its page's path, or why not."""
    from django.conf import settings
    from django.core.management import call_command

    from bench.bench_ledger import ensure_database

    problem = ensure_database(settings.BENCH_DATABASE_URL)
    if problem:
        return problem
    call_command("migrate", verbosity=0)
    from example_shop.catalogue.models import Product
    from example_shop.factories import ProductFactory

    product = Product.objects.filter(slug__startswith="bench-shop-").first() or ProductFactory(
        stock=12, slug="bench-shop-em110"
    )
    return f"/products/{product.slug}/"


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1:] == ["count"]:
        from jsg_privacy.usage.models import UsageEvent

        print(UsageEvent.objects.count())
    else:
        print(prepare())
