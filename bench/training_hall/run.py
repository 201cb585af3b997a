"""One database from start to end: a fresh database, the app under gunicorn through the hall's
phases and the test page, then the floor, each phase metered, gathered into one result. gunicorn
is always stopped, the app's connections closed and the database and its folder removed."""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

from lms.extensions import db

from .client import Client
from .cpu import CpuMeter, postgres_backends
from .database import attempt_questions, build_app, fresh_database, prepare, user_attempts
from .floor import measure_floor
from .kader import Kader, plan_saves
from .operations import Operation
from .page import phase_page
from .phases import phase_login, phase_save, phase_start, phase_submit
from .server import Server, server_environment
from .targets import judge
from .verify import verify

OPERATIONS = ("login", "start", "saveAnswer", "submit", "floor insert", "attempt page")


@dataclass
class Run:
    """What the steps of one database's run share: the options, a temporary folder, the
    database's backends (for the CPU meter) and the figures gathered so far."""

    args: argparse.Namespace
    folder: Path
    database_pids: Callable[[], list[int]] = list
    ops: dict[str, Operation] = field(
        default_factory=lambda: {name: Operation(name) for name in OPERATIONS}
    )
    cpu: dict[str, dict[str, float]] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)


def run_database(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    run = Run(args, Path(tempfile.mkdtemp(prefix=f"binakader-bench-{kind}-")))
    run.result.update(
        database=kind,
        kader=args.kader,
        workers=args.workers,
        think_s=args.think,
        page_seconds=args.page_seconds,
    )
    try:
        with fresh_database(kind, run.folder) as url:
            if kind == "postgresql":
                run.database_pids = postgres_backends(url.rpartition("/")[2])
            measure(url, run)
    finally:
        shutil.rmtree(run.folder, ignore_errors=True)
    return summarise(run)


def measure(url: str, run: Run) -> None:
    """Set up the database, run the app and then the floor on it; the app in this process
    closes its connections at the end whatever happens."""
    instance = run.folder / "instance"
    app = build_app(url, instance)
    try:
        clock = time.perf_counter()
        hall_accounts, page_accounts = prepare(app, run.args.kader)
        run.result["setup_seconds"] = round(time.perf_counter() - clock, 1)
        env = server_environment(url, instance)
        run.result["redis"] = "REDIS_URL" in env
        kaders = measure_app(app, env, hall_accounts, page_accounts, run)
        run.cpu["floor insert"] = measure_floor(
            url,
            env,
            run.folder / "floor.log",
            run.args.workers,
            [len(k.saves) + k.saved_racing for k in kaders],
            run.database_pids,
            run.ops["floor insert"],
        )
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def measure_app(
    app: Flask,
    env: dict[str, str],
    hall_accounts: list[tuple[int, str]],
    page_accounts: list[tuple[int, str]],
    run: Run,
) -> list[Kader]:
    """The app under gunicorn: the hall's phases, then the test page. Returns the hall's kader."""
    with Server("wsgi:app", run.args.workers, env, run.folder / "gunicorn.log") as server:
        server.wait_ready("/healthz")
        kaders = [
            Kader(i, user_id, phone, Client(server.port))
            for i, (user_id, phone) in enumerate(hall_accounts)
        ]

        def meter(pid: int | None = server.pid) -> CpuMeter:
            return CpuMeter(pid, run.database_pids)

        hall_phases(app, kaders, run, meter)
        page_attempts = user_attempts(app, [u for u, _ in page_accounts])
        page_kader = [(u, p, page_attempts[u]) for u, p in page_accounts]
        run.result["first_view"], run.cpu["attempt page"] = phase_page(
            server.port, page_kader, run.args.page_seconds, run.ops["attempt page"], meter
        )
        for kader in kaders:
            kader.client.close()
            if kader.second is not None:
                kader.second.close()
        run.result.update(server.log_figures())
    return kaders


def hall_phases(app: Flask, kaders: list[Kader], run: Run, meter: Callable[[], CpuMeter]) -> None:
    ops, result = run.ops, run.result
    metered(run, "login", meter, lambda: phase_login(kaders, ops["login"]))
    metered(run, "start", meter, lambda: phase_start(kaders, ops["start"]))
    result["start_spread_s"] = round(ops["start"].wall, 3)
    result["kader_without_token"] = sum(k.client.token is None for k in kaders)
    result["kader_without_attempt"] = sum(k.attempt_id is None for k in kaders)

    plan_hall(app, kaders)
    metered(run, "saveAnswer", meter, lambda: phase_save(kaders, ops["saveAnswer"], run.args.think))
    result["ack_mismatches"] = sum(k.ack_mismatches for k in kaders)
    result["saves_twice"] = sum(k.saved_twice for k in kaders)
    result["saves_out_of_order"] = sum(k.saved_late for k in kaders)
    result["saves_racing"] = sum(k.saved_racing for k in kaders)
    result["double_submits"] = sum(k.double_submit for k in kaders)

    metered(run, "submit", meter, lambda: phase_submit(kaders, ops["submit"]))
    result["submit_spread_s"] = round(ops["submit"].wall, 3)

    result.update(verify(app, kaders))


def metered(run: Run, name: str, meter: Callable[[], CpuMeter], phase: Callable[[], None]) -> None:
    running = meter()
    phase()
    run.cpu[name] = running.stop()


def plan_hall(app: Flask, kaders: list[Kader]) -> None:
    """Reads the questions each started kader drew and plans its saves."""
    started = [k for k in kaders if k.attempt_id is not None]
    questions = attempt_questions(app, [k.attempt_id for k in started if k.attempt_id])
    for kader in started:
        kader.questions = questions.get(kader.attempt_id or 0, {})
        plan_saves(kader)


def summarise(run: Run) -> dict[str, Any]:
    """The result: every operation's figures, the CPU per phase and per request, the targets."""
    result, ops, cpu = run.result, run.ops, run.cpu
    result["operations"] = {name: op.summary() for name, op in ops.items()}
    for name, usage in cpu.items():
        own = usage["gunicorn_cpu_s"] + usage["database_cpu_s"] + usage["bench_client_cpu_s"]
        usage["app_ms_per_request"] = round(1000 * own / max(1, len(ops[name].latencies)), 2)
    result["cpu"] = cpu
    judge(result, run.args)
    return result
