"""Counting failed attempts (login, reset code) per account and per address.

Counters live in Redis when REDIS_URL is set, so every app server sees the same counts;
in memory otherwise (one process, local use).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class Scope:
    """One thing being counted, e.g. failed logins of one account."""

    name: str
    limit: RateLimitItem


class FailureThrottle:
    """Blocks a key once it has failed `limit` times within the window."""

    def __init__(self, storage_uri: str, *, namespace: str = "binakader") -> None:
        self.storage: Storage = storage_from_string(storage_uri)
        self._limiter = MovingWindowRateLimiter(self.storage)
        self._namespace = namespace

    @staticmethod
    def scope(name: str, limit: str) -> Scope:
        return Scope(name, parse(limit))

    def seconds_blocked(self, checks: list[tuple[Scope, str]]) -> int:
        """Seconds until every (scope, key) allows another attempt; 0 when none is blocked."""
        wait = 0.0
        for scope, key in checks:
            if not self._limiter.test(scope.limit, self._namespace, scope.name, key):
                reset_at, _remaining = self._limiter.get_window_stats(
                    scope.limit, self._namespace, scope.name, key
                )
                wait = max(wait, reset_at - time.time(), 1.0)
        return math.ceil(wait) if wait > 0 else 0

    def record_failure(self, checks: list[tuple[Scope, str]]) -> None:
        for scope, key in checks:
            self._limiter.hit(scope.limit, self._namespace, scope.name, key)

    def clear(self, scope: Scope, key: str) -> None:
        self._limiter.clear(scope.limit, self._namespace, scope.name, key)
