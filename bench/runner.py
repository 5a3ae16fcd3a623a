"""Compare two request paths in the same run and report the ratio of their medians.

Machines here are shared and noisy, so absolute times mean little; a ratio of medians measured in
interleaved rounds, in one process, is stable enough to compare runs and catch regressions.
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

    def __str__(self) -> str:
        line = (
            f"{self.name}: {self.ratio:.2f}x the baseline "
            f"(median per call {self.subject_ms:.3f} ms vs {self.baseline_ms:.3f} ms; "
            f"{self.rounds} interleaved rounds x {self.number} calls)"
        )
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


def compare(
    name: str,
    subject: Callable[[], object],
    baseline: Callable[[], object],
    *,
    rounds: int = 15,
    number: int = 40,
    target: float | None = None,
) -> Result:
    """Warm both up, then time them in alternating rounds; the ratio is subject / baseline."""
    per_call(subject, number)
    per_call(baseline, number)
    subject_times, baseline_times, ratios = [], [], []
    for _ in range(rounds):
        s, b = per_call(subject, number), per_call(baseline, number)
        subject_times.append(s)
        baseline_times.append(b)
        ratios.append(s / b)
    return Result(
        name,
        statistics.median(ratios),
        statistics.median(subject_times) * 1000,
        statistics.median(baseline_times) * 1000,
        rounds,
        number,
        target,
    )
