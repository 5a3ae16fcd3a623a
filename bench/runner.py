"""Compare two request paths in the same run and report the ratio of their medians.

Machines here are shared and noisy, so absolute times mean little; a ratio of medians measured in
interleaved rounds, in one process, is stable enough to compare runs and catch regressions. Each
figure is printed with its spread (the middle half of the per-round ratios) and a self-check: the
baseline timed against itself in the same interleaved rounds, which should read 1.00x; how far it
strays is the noise of that run, and a figure is not read more finely than that.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    ratio: float
    subject_ms: float
    baseline_ms: float
    rounds: int
    number: int
    #: The ratio the subject should stay at or under, printed with whether this run met it.
    target: float | None = None
    #: The middle half of the per-round ratios (first and third quartile).
    spread: tuple[float, float] | None = None
    #: The baseline against itself, in the same rounds: the noise of this run.
    self_check: float | None = None

    def __str__(self) -> str:
        line = (
            f"{self.name}: {self.ratio:.2f}x the baseline "
            f"(median per call {self.subject_ms:.3f} ms vs {self.baseline_ms:.3f} ms; "
            f"{self.rounds} interleaved rounds x {self.number} calls"
        )
        if self.spread is not None:
            line += f"; middle half of rounds {self.spread[0]:.2f}-{self.spread[1]:.2f}x"
        if self.self_check is not None:
            line += f"; self-check baseline/baseline {self.self_check:.2f}x"
        line += ")"
        if self.target is not None:
            line += f"; {verdict(self.ratio, self.target)}"
        return line


@dataclass
class Figure:
    """A measured figure that is not a timing ratio (bytes, throughput, a check), as one line."""

    name: str
    text: str

    def __str__(self) -> str:
        return f"{self.name}: {self.text}"


def verdict(value: float, target: float, *, at_most: bool = True) -> str:
    """``target <= 1.05x: met`` (or ``>=`` with ``at_most=False``; ``NOT met`` when missed)."""
    met = value <= target if at_most else value >= target
    return f"target {'<=' if at_most else '>='} {target:.2f}x: {'met' if met else 'NOT met'}"


def per_call(fn: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def quartiles(values: list[float]) -> tuple[float, float]:
    """First and third quartile (both the value itself for fewer than two values)."""
    if len(values) < 2:
        return (values[0], values[0]) if values else (0.0, 0.0)
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def compare(
    name: str,
    subject: Callable[[], object],
    baseline: Callable[[], object],
    *,
    rounds: int = 15,
    number: int = 40,
    target: float | None = None,
    self_check: bool = True,
) -> Result:
    """Warm both up, then time them in alternating rounds; the ratio is subject / baseline.

    Each round times the subject and the baseline (which goes first alternates), and with
    ``self_check`` the baseline once more, against which the baseline's own time is compared."""
    per_call(subject, number)
    per_call(baseline, number)
    subject_times, baseline_times, ratios, checks = [], [], [], []
    for round_ in range(rounds):
        if round_ % 2:
            b, s = per_call(baseline, number), per_call(subject, number)
        else:
            s, b = per_call(subject, number), per_call(baseline, number)
        subject_times.append(s)
        baseline_times.append(b)
        ratios.append(s / b if b else float("inf"))
        if self_check:
            again = per_call(baseline, number)
            checks.append(again / b if b else 1.0)
    return Result(
        name,
        statistics.median(ratios),
        statistics.median(subject_times) * 1000,
        statistics.median(baseline_times) * 1000,
        rounds,
        number,
        target,
        spread=quartiles(ratios),
        self_check=statistics.median(checks) if checks else None,
    )
