"""Each row measured several times; the row shown is the median one, the spread is noted.

On a shared machine one measurement can be spoiled by a neighbour's burst. Three repetitions of
a row's load phases (after one warm-up) give a median that one burst cannot move, and their
spread says how far to trust the row. The median repetition is chosen by CPU time per request
(the figure the targets compare); its phases are shown whole, so every column of a row comes
from one and the same measurement.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar


class Measured(Protocol):
    """One load phase, as bench.run's `Phase` is."""

    requests: int
    cpu: float


P = TypeVar("P", bound=Measured)


def cpu_per_request_us(phases: Sequence[Measured]) -> float:
    requests = sum(p.requests for p in phases)
    return sum(p.cpu for p in phases) / requests * 1e6 if requests else float("nan")


def median_repetition(repetitions: list[list[P]]) -> list[P]:
    """The repetition whose CPU per request is the median (the lower middle of an even count)."""
    ranked = sorted(repetitions, key=cpu_per_request_us)
    return ranked[(len(ranked) - 1) // 2]


async def repeated(times: int, once: Callable[[], Awaitable[list[P]]]) -> list[list[P]]:
    return [await once() for _ in range(times)]


@dataclass(frozen=True)
class Spread:
    """CPU µs per request over a row's repetitions."""

    values: tuple[float, ...]

    @property
    def relative(self) -> float:
        """(max − min) / median: 0.05 means the repetitions lay within 5 % of the median."""
        middle = statistics.median(self.values)
        return (max(self.values) - min(self.values)) / middle if middle else float("nan")

    def describe(self) -> str:
        shown = " / ".join(f"{v:.0f}" for v in self.values)
        return f"{shown} µs (spread {self.relative:.0%})"


def spread(repetitions: list[list[P]]) -> Spread:
    return Spread(tuple(cpu_per_request_us(r) for r in repetitions))


def load_average() -> float:
    """The 1-minute load average: above the core count, others' work shared our cores."""
    return os.getloadavg()[0]
