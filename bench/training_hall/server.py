"""gunicorn as production runs it: its environment (production settings, the benchmark's
database, Redis when it is there), started on a free local port and always stopped."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import redis

from .settings import (
    ADMIN_PASSWORD,
    ADMIN_PHONE,
    BENCH,
    GUNICORN,
    HOST,
    REDIS_URL,
    REPO,
    SECRET_KEY,
    SERVER_START_TIMEOUT,
)


def redis_url() -> str | None:
    """Redis for the shared failure counters, as production has it (None: not reachable)."""
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
        client.close()
    except redis.RedisError:
        return None
    return REDIS_URL


def server_environment(url: str, instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        BINAKADER_INSTANCE_PATH=str(instance),
        SECRET_KEY=SECRET_KEY,
        BINAKADER_ENV="production",
        BINAKADER_ADMIN_PHONE=ADMIN_PHONE,
        BINAKADER_ADMIN_PASSWORD=ADMIN_PASSWORD,
        BENCH_FLOOR_DATABASE_URL=url,
    )
    shared = redis_url()
    if shared:
        env["REDIS_URL"] = shared
    else:
        env.pop("REDIS_URL", None)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn started by this script and always stopped by it (its own pid, never by name)."""

    def __init__(self, app_spec: str, workers: int, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.command = [
            str(GUNICORN),
            "--workers", str(workers),
            "--bind", f"{HOST}:{self.port}",
            "--error-logfile", str(log),
            "--log-level", "warning",
            "--chdir", str(REPO if app_spec == "wsgi:app" else BENCH),
            app_spec,
        ]  # fmt: skip
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            self.command, cwd=REPO, env=self.env, stdout=subprocess.DEVNULL
        )
        return self

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        for _ in range(int(SERVER_START_TIMEOUT / 0.2)):
            if self.process is not None and self.process.poll() is not None:
                break
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", path)
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        raise RuntimeError(f"server did not become ready; log:\n{self.log_tail()}")

    def log_figures(self) -> dict[str, Any]:
        """The end of the server's log, its tracebacks and its 'database is locked' errors."""
        return {
            "server_log_tail": self.log_tail(),
            "server_exceptions": self.log_count("Traceback"),
            "server_database_locked": self.log_count("OperationalError) database is locked"),
        }

    def log_count(self, text: str) -> int:
        try:
            return self.log.read_text().count(text)
        except OSError:
            return 0

    def log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-30:])
        except OSError:
            return "(no log)"

    def __exit__(self, *_exc: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
