"""CPU seconds used during a phase, split between gunicorn, the database, the benchmark itself
and other work on the machine (read from /proc)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

from .settings import POSTGRES_ADMIN_URL


class CpuMeter:
    """CPU seconds used during a phase: the whole machine, gunicorn (master and workers), the
    database server's backends for this database (PostgreSQL) and this benchmark process (the
    simulated phones). What is left ("other") is the kernel and anything else that ran on the
    machine meanwhile: a large "other" means the figures were disturbed."""

    def __init__(self, server_pid: int | None, database_pids: Callable[[], list[int]]) -> None:
        self.server_pid = server_pid
        self.database_pids = database_pids
        self.start = self._sample()

    @staticmethod
    def _ticks(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _server_pids(self) -> list[int]:
        if self.server_pid is None:
            return []
        try:
            children = Path(f"/proc/{self.server_pid}/task/{self.server_pid}/children")
            return [self.server_pid, *map(int, children.read_text().split())]
        except OSError:
            return []

    def _sample(self) -> tuple[float, float, float, dict[int, float], dict[int, float]]:
        with open("/proc/stat") as handle:
            user, nice, system, _idle, _iowait, irq, softirq, steal = map(
                int, handle.readline().split()[1:9]
            )
        busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
        own = time.process_time()
        servers = {pid: self._ticks(pid) for pid in self._server_pids()}
        databases = {pid: self._ticks(pid) for pid in self.database_pids()}
        return time.perf_counter(), busy, own, servers, databases

    def stop(self) -> dict[str, float]:
        wall0, busy0, own0, servers0, databases0 = self.start
        wall1, busy1, own1, servers1, databases1 = self._sample()
        server = sum(t - servers0.get(pid, 0.0) for pid, t in servers1.items())
        database = sum(t - databases0.get(pid, 0.0) for pid, t in databases1.items())
        machine = busy1 - busy0
        own = own1 - own0
        return {
            "wall_s": round(wall1 - wall0, 3),
            "machine_cpu_s": round(machine, 2),
            "gunicorn_cpu_s": round(server, 2),
            "database_cpu_s": round(database, 2),
            "bench_client_cpu_s": round(own, 2),
            "other_cpu_s": round(max(0.0, machine - server - database - own), 2),
        }


def postgres_backends(name: str) -> Callable[[], list[int]]:
    """The pids of the PostgreSQL backends connected to database `name` (same machine)."""

    def pids() -> list[int]:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            rows = admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,))
            return [row[0] for row in rows]

    return pids
