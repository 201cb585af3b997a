"""Threads released together: a start line for every simulated phone, and two calls at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .settings import BARRIER_TIMEOUT, HTTP_TIMEOUT


def run_together(
    count: int,
    work: Callable[[int, threading.Barrier], None],
    on_start: Callable[[], None] | None = None,
) -> None:
    """Run work(i, start_line) on `count` threads; each waits at the start line, so the
    requests after it leave together (on_start runs once, just before they leave)."""
    start_line = threading.Barrier(count, action=on_start, timeout=BARRIER_TIMEOUT)

    def guarded(i: int) -> None:
        try:
            work(i, start_line)
        except BaseException:
            start_line.abort()
            raise

    with ThreadPoolExecutor(max_workers=count) as pool:
        for future in [pool.submit(guarded, i) for i in range(count)]:
            future.result(timeout=BARRIER_TIMEOUT + 600)


def at_once(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """Run both calls at the same moment (the second on a helper thread)."""
    start_line = threading.Barrier(2, timeout=BARRIER_TIMEOUT)
    results: list[Any] = [None]

    def helper() -> None:
        start_line.wait()
        results[0] = second()

    thread = threading.Thread(target=helper, daemon=True)
    thread.start()
    start_line.wait()
    value = first()
    thread.join(timeout=HTTP_TIMEOUT + 5)
    return value, results[0]
