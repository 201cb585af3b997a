"""The floor: bench/floor_app.py's bare insert under the same gunicorn command and database,
driven by as many clients with as many requests as the save phase."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import floor_app  # bench/floor_app.py (bench/ is first on sys.path when hall.py runs)

from .client import Client, timed
from .cpu import CpuMeter
from .operations import Operation
from .server import Server
from .together import run_together


def measure_floor(
    url: str,
    env: dict[str, str],
    log: Path,
    workers: int,
    plan_sizes: list[int],
    database_pids: Callable[[], list[int]],
    op: Operation,
) -> dict[str, float]:
    """Run the floor app against database `url` (its own table) and drive it; returns the CPU
    used while it was driven."""
    floor_app.create_table(url)
    with Server("floor_app:create_app()", workers, env, log) as server:
        server.wait_ready("/ping")
        meter = CpuMeter(server.pid, database_pids)
        phase_floor(server.port, plan_sizes, op)
        return meter.stop()


def phase_floor(port: int, plan_sizes: list[int], op: Operation) -> None:
    def work(i: int, start_line: threading.Barrier) -> None:
        client = Client(port)
        start_line.wait()
        for j in range(plan_sizes[i]):
            body = {"key": f"k{i}-{j}", "value": j}
            timed(op, client, "POST", "/insert", (201,), body=body)
        client.close()

    run_together(len(plan_sizes), work)
