"""Latencies and errors of one kind of request, summarised with nearest-rank percentiles."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Operation:
    """Latencies and errors of one kind of request."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    #: errors by kind: HTTP status or exception name
    error_kinds: dict[str, int] = field(default_factory=dict)
    first_sent: float = math.inf
    last_done: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(
        self, sent: float, done: float, error: str | None = None, kind: str = "other"
    ) -> None:
        with self.lock:
            self.latencies.append(done - sent)
            self.first_sent = min(self.first_sent, sent)
            self.last_done = max(self.last_done, done)
            if error is not None:
                self.fail(error, kind)

    def fail(self, error: str, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1
        if len(self.error_samples) < 5:
            self.error_samples.append(error)

    def record_error(self, error: str, kind: str = "other") -> None:
        with self.lock:
            self.fail(error, kind)

    @property
    def wall(self) -> float:
        return max(0.0, self.last_done - self.first_sent) if self.latencies else 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        wall = self.wall
        return {
            "requests": len(ordered),
            "seconds": round(wall, 3),
            "rps": round(len(ordered) / wall, 1) if wall else 0.0,
            "p50_ms": percentile_ms(ordered, 50),
            "p95_ms": percentile_ms(ordered, 95),
            "p99_ms": percentile_ms(ordered, 99),
            "max_ms": percentile_ms(ordered, 100),
            "errors": self.errors,
            "error_kinds": self.error_kinds,
            "error_samples": self.error_samples,
        }


def percentile_ms(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted seconds, in milliseconds."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return round(ordered[rank - 1] * 1000, 1)
