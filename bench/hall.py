"""The training-hall benchmark (a benchmark, not a test).

N kader log in, start the same unit's test within the same second, save every answer (some
twice, some out of order), and submit at the same moment, against the production server setup
(gunicorn with several sync workers, BINAKADER_ENV=production, Redis counters) on SQLite and on
PostgreSQL. In the same run it measures a bare Flask + SQLAlchemy insert endpoint under the same
server (the floor) and the test page itself (10 clients loading their attempt page).

    .venv/bin/python bench/hall.py                       # 70 kader, SQLite and PostgreSQL
    .venv/bin/python bench/hall.py --kader 300 --db postgresql

Every request goes to 127.0.0.1 only; every loop is bounded in count and time. See
bench/README.md for the phases, the targets and the figures measured.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import http.client
import io
import json
import math
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import floor_app  # bench/floor_app.py (this script's folder is first on sys.path)
import psycopg
import redis
import sqlalchemy as sa
from flask import Flask

from lms import create_app
from lms.accounts.models import PoktanMembership, Role, User
from lms.accounts.passwords import PasswordHashing
from lms.accounts.phone import format_phone
from lms.assessment import grading
from lms.assessment import services as assessment
from lms.assessment.models import Attempt, AttemptQuestion, UnitPass
from lms.content.models import Unit
from lms.database import utcnow
from lms.extensions import db
from lms.setup import run_setup

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "127.0.0.1"  # the only address this script ever talks to
POSTGRES_ADMIN_URL = os.environ.get("BINAKADER_BENCH_POSTGRES", f"postgresql://{HOST}:5432/test")
REDIS_URL = os.environ.get("BINAKADER_BENCH_REDIS", f"redis://{HOST}:6379/14")

UNIT = "bkb"
PAGE_CLIENTS = 10
KADER_PASSWORD = "Latihan-Kader-2026"  # noqa: S105 - a throwaway benchmark account
ADMIN_PHONE = "+6281100000000"
ADMIN_PASSWORD = "Bench-Admin-2026x"  # noqa: S105 - a throwaway benchmark account
SECRET_KEY = "bench-" + uuid.uuid4().hex

HTTP_TIMEOUT = 120.0  # seconds per request; a slower answer counts as an error
BARRIER_TIMEOUT = 120.0  # seconds a thread waits for the others at a start line
SERVER_START_TIMEOUT = 60.0
MAX_PAGE_REQUESTS_PER_CLIENT = 100_000  # the page loop also stops at --page-seconds
MAX_THINK_SECONDS = 10.0

#: Targets of issue 4 point 10.
SAVE_P95_TARGET_MS = {70: 100.0, 300: 300.0}
START_SPREAD_TARGET_S = 2.0
MOODLE_PAGE_RPS = 35.0
PAGE_RPS_TARGET = 10 * MOODLE_PAGE_RPS
PAGE_KB_TARGET = 50.0
PAGE_REQUESTS_TARGET = 5


# --------------------------------------------------------------------------- measurement


@dataclass
class Reply:
    status: int
    body: bytes
    sent: float
    done: float
    set_cookies: list[str]

    def json(self) -> Any:
        return json.loads(self.body)


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


class Client:
    """One simulated phone: a keep-alive connection (reopened when the server closes it),
    its cookies and its bearer token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=HTTP_TIMEOUT)
        self.cookies: dict[str, str] = {}
        self.token: str | None = None

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        form: dict[str, str] | None = None,
    ) -> Reply:
        headers = {"Accept-Encoding": "identity"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        done = time.perf_counter()
        cookies = response.headers.get_all("Set-Cookie") or []
        for cookie in cookies:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Reply(response.status, payload, sent, done, cookies)

    def close(self) -> None:
        self.conn.close()


def timed(
    op: Operation,
    client: Client,
    method: str,
    path: str,
    expect: tuple[int, ...],
    **kwargs: Any,
) -> Reply | None:
    """Send one request and record it; None (and an error) when it fails or answers wrong."""
    sent = time.perf_counter()
    try:
        reply = client.request(method, path, **kwargs)
    except (OSError, http.client.HTTPException) as error:
        kind = type(error).__name__
        op.record(sent, time.perf_counter(), f"{method} {path}: {kind} {error}", kind)
        return None
    if reply.status not in expect:
        snippet = reply.body[:160].decode(errors="replace")
        message = f"{method} {path}: {reply.status} {snippet}"
        op.record(reply.sent, reply.done, message, f"HTTP {reply.status}")
        return None
    op.record(reply.sent, reply.done)
    return reply


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


# --------------------------------------------------------------------------- answers


def right_answer(kind: str, data: dict[str, Any], rng: random.Random) -> Any:
    """The correct response, written the way a phone might send it (the server normalises)."""
    if kind == "short":
        return f"  {data['answer'][0].upper()} "
    if kind == "matching":
        pairs = [(str(i), str(i)) for i in range(len(data["pairs"]))]
        return dict(reversed(pairs))
    if kind == "multiple":
        return list(reversed(data["answer"]))
    if kind == "numeric" and rng.random() < 0.5:
        return str(data["answer"]).replace(".", ",")
    return data["answer"]


def wrong_answer(kind: str, data: dict[str, Any], rng: random.Random) -> Any:
    """A response that scores less than full marks (sometimes partial marks)."""
    if kind == "single":
        return next(key for key, _ in data["options"] if key != data["answer"])
    if kind == "multiple":
        if len(data["answer"]) > 1 and rng.random() < 0.5:
            return data["answer"][:-1]
        return [next(key for key, _ in data["options"] if key not in data["answer"])]
    if kind == "truefalse":
        return not data["answer"]
    if kind == "short":
        return "jawaban yang keliru"
    if kind == "numeric":
        return data["answer"] + 1000 + 10 * float(data.get("tolerance") or 0)
    count = len(data["pairs"])
    if rng.random() < 0.5:  # two swapped: partial marks
        pairs = {str(i): str(i) for i in range(count)}
        pairs["0"], pairs["1"] = "1", "0"
        return pairs
    return {str(i): str((i + 1) % count) for i in range(count)}


@dataclass
class Save:
    position: int
    response: Any
    seq: int
    #: What the server must answer: False for a late save older than one already applied.
    applied: bool
    #: The stored (normalised) value the server must report after this save.
    stored_after: Any = None
    #: An older save of the same answer sent at the same moment on a second connection (a
    #: phone retrying): whichever the server takes first, the newer value must win.
    racing: Save | None = None


@dataclass
class Kader:
    index: int
    user_id: int
    phone: str
    client: Client
    attempt_id: int | None = None
    questions: dict[int, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    saves: list[Save] = field(default_factory=list)
    #: position -> (stored value, seq) the database must hold after the save phase.
    expected: dict[int, tuple[Any, int]] = field(default_factory=dict)
    #: positions with a save that failed (counted as errors, not as lost answers).
    failed_positions: set[int] = field(default_factory=set)
    ack_mismatches: int = 0
    saved_twice: int = 0
    saved_late: int = 0
    saved_racing: int = 0
    #: Submits the same attempt twice at the same moment (a double tap or a retry).
    double_submit: bool = False
    submit_results: list[dict[str, Any]] = field(default_factory=list)
    second: Client | None = None

    def second_client(self) -> Client:
        if self.second is None:
            self.second = Client(self.client.port)
            self.second.token = self.client.token
        return self.second


def plan_saves(kader: Kader) -> None:
    """A deterministic mix per kader: accuracy from 45 % to 100 % so grades vary; ~20 % of
    answers saved twice (the second time with a higher seq, half of them at the end: the kader
    went back), ~10 % delivered out of order (the newer save arrives first, the older one late
    and must come back applied=false), ~5 % sent as a racing pair (older and newer at the same
    moment on two connections). Every tenth kader submits twice at the same moment."""
    rng = random.Random(7919 * (kader.index + 1))  # noqa: S311 - reproducible, not a secret
    accuracy = 0.45 + 0.55 * (kader.index % 12) / 11
    positions = list(kader.questions)
    rng.shuffle(positions)
    now_saves: list[Save] = []
    later: list[Save] = []
    for position in positions:
        kind, data = kader.questions[position]
        correct = rng.random() < accuracy
        final = right_answer(kind, data, rng) if correct else wrong_answer(kind, data, rng)
        other = wrong_answer(kind, data, rng) if correct else right_answer(kind, data, rng)
        stored_final = grading.check_response(kind, data, final)
        stored_other = grading.check_response(kind, data, other)
        roll = rng.random()
        if roll < 0.2:
            now_saves.append(Save(position, other, 1, True, stored_other))
            (later if roll < 0.1 else now_saves).append(
                Save(position, final, 2, True, stored_final)
            )
            kader.expected[position] = (stored_final, 2)
            kader.saved_twice += 1
        elif roll < 0.3:
            now_saves.append(Save(position, final, 2, True, stored_final))
            now_saves.append(Save(position, other, 1, False, stored_final))
            kader.expected[position] = (stored_final, 2)
            kader.saved_late += 1
        elif roll < 0.35:
            older = Save(position, other, 1, True, stored_other)
            now_saves.append(Save(position, final, 2, True, stored_final, racing=older))
            kader.expected[position] = (stored_final, 2)
            kader.saved_racing += 1
        else:
            now_saves.append(Save(position, final, 1, True, stored_final))
            kader.expected[position] = (stored_final, 1)
    kader.saves = now_saves + later
    kader.double_submit = kader.index % 10 == 3


def expected_grade(kader: Kader, pass_mark: float) -> tuple[float, float, bool]:
    scores = [
        grading.grade(*kader.questions[position], value)
        for position, (value, _seq) in sorted(kader.expected.items())
    ]
    points, max_points = grading.total(scores)
    percent = grading.percent(points, max_points)
    return points, percent, grading.is_pass(percent, pass_mark)


# --------------------------------------------------------------------------- databases


@contextlib.contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """A new, empty database: a SQLite file in `folder`, or a uniquely named PostgreSQL database
    (created through the admin database, dropped at the end)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'binakader.db'}"
        return
    name = f"binakader_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_ADMIN_URL.rpartition('/')[0]}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


def build_app(url: str, instance: Path) -> Flask:
    """The app in this process, for setting up and for checking the database afterwards."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": SECRET_KEY,
            "BINAKADER_ENV": "production",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )


def prepare(app: Flask, kader_count: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Migrations, bundled curriculum and first admin (the app's own setup), then the kader
    accounts inserted directly, with one password hash shared by all; the page clients' kader
    get an open attempt each. Returns (user id, phone) of the hall kader and the page kader."""
    os.environ["BINAKADER_ADMIN_PHONE"] = ADMIN_PHONE
    os.environ["BINAKADER_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    migration_log = io.StringIO()  # Alembic logs every step at INFO; keep it off the table
    try:
        with contextlib.redirect_stderr(migration_log):
            run_setup(app)
    except Exception:
        print(migration_log.getvalue(), file=sys.stderr)
        raise
    with app.app_context():
        password_hash = PasswordHashing(app.config["PASSWORD_HASH_PROFILE"]).hash(KADER_PASSWORD)
        now = utcnow()
        phones = [f"+62813{i:07d}" for i in range(1, kader_count + 1)]
        phones += [f"+62813{9_000_000 + i:07d}" for i in range(1, PAGE_CLIENTS + 1)]
        users = [
            User(
                full_name=f"Kader Latihan {i + 1}",
                phone=phone,
                role=Role.KADER.value,
                kecamatan_code="64.08.01",
                desa="Sangatta Utara",
                password_hash=password_hash,
                created_at=now,
                poktan_memberships=[PoktanMembership(poktan="BKB")],
            )
            for i, phone in enumerate(phones)
        ]
        db.session.add_all(users)
        db.session.commit()
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == UNIT))
        for user in users[kader_count:]:
            assessment.start_attempt(user, unit, now=utcnow())
        db.session.commit()
        accounts = [(user.id, user.phone) for user in users]
        db.session.remove()
    return accounts[:kader_count], accounts[kader_count:]


def attempt_questions(app: Flask, attempt_ids: list[int]) -> dict[int, dict[int, tuple]]:
    """attempt id -> position -> (question type, key data), read from the database."""
    found: dict[int, dict[int, tuple]] = {}
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AttemptQuestion).where(AttemptQuestion.attempt_id.in_(attempt_ids))
        )
        for question in rows:
            found.setdefault(question.attempt_id, {})[question.position] = (
                question.version.type,
                question.version.data,
            )
        db.session.remove()
    return found


# --------------------------------------------------------------------------- servers


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


# --------------------------------------------------------------------------- hall phases


def phase_login(kaders: list[Kader], op: Operation) -> None:
    def work(i: int, start_line: threading.Barrier) -> None:
        kader = kaders[i]
        start_line.wait()
        body = {"phone": format_phone(kader.phone), "password": KADER_PASSWORD}
        reply = timed(op, kader.client, "POST", "/api/v1/tokens", (201,), body=body)
        if reply is not None:
            kader.client.token = reply.json()["token"]

    run_together(len(kaders), work)


def phase_start(kaders: list[Kader], op: Operation) -> None:
    def work(i: int, start_line: threading.Barrier) -> None:
        kader = kaders[i]
        start_line.wait()
        if kader.client.token is None:
            return  # its failed login is already counted
        reply = timed(op, kader.client, "POST", f"/api/v1/units/{UNIT}/attempts", (201,))
        if reply is not None:
            view = reply.json()
            if len(view["questions"]) != 20 or view["status"] != "open":
                op.record_error(f"attempt {view['id']}: unexpected view", "wrong view")
            kader.attempt_id = view["id"]

    run_together(len(kaders), work)


def phase_save(kaders: list[Kader], op: Operation, think: float) -> None:
    """Each kader saves its plan one request after the other; with `think` > 0 it pauses
    0.5-1.5 x think seconds before each answer (0: back to back, the worst case)."""

    def work(i: int, start_line: threading.Barrier) -> None:
        kader = kaders[i]
        pauses = random.Random(31 * (i + 1))  # noqa: S311 - reproducible, not a secret
        start_line.wait()
        if kader.attempt_id is None:
            return
        path = f"/api/v1/attempts/{kader.attempt_id}/answers/"
        for number, save in enumerate(kader.saves):
            if think > 0 and number:
                time.sleep(min(pauses.uniform(0.5, 1.5) * think, MAX_THINK_SECONDS))

            def put(client: Client, save: Save = save) -> Reply | None:
                body = {"response": save.response, "seq": save.seq}
                return timed(op, client, "PUT", f"{path}{save.position}", (200,), body=body)

            if save.racing is None:
                reply = put(kader.client)
            else:
                reply, older = at_once(
                    lambda put=put: put(kader.client),
                    lambda put=put, racing=save.racing: put(kader.second_client(), racing),
                )
                if older is None:
                    kader.failed_positions.add(save.position)
            if reply is None:
                kader.failed_positions.add(save.position)
                continue
            ack = reply.json()
            if ack.get("applied") is not save.applied or ack.get("response") != save.stored_after:
                kader.ack_mismatches += 1
                message = f"{path}{save.position}: acknowledged {ack}, expected {save}"
                op.record_error(message, "wrong acknowledgement")

    run_together(len(kaders), work)


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


def phase_submit(kaders: list[Kader], op: Operation) -> None:
    def work(i: int, start_line: threading.Barrier) -> None:
        kader = kaders[i]
        start_line.wait()
        if kader.attempt_id is None:
            return
        path = f"/api/v1/attempts/{kader.attempt_id}/submit"

        def submit(client: Client) -> Reply | None:
            return timed(op, client, "POST", path, (200,))

        if kader.double_submit:
            replies = at_once(lambda: submit(kader.client), lambda: submit(kader.second_client()))
        else:
            replies = (submit(kader.client),)
        kader.submit_results = [reply.json() for reply in replies if reply is not None]

    run_together(len(kaders), work)


def verify(app: Flask, kaders: list[Kader]) -> dict[str, Any]:
    """Lost answers: acknowledged saves whose value is not what the database holds after
    submit. Wrong grades: attempts whose stored or reported grade differs from a regrade of
    the expected answers with lms.assessment.grading."""
    lost: list[str] = []
    wrong: list[str] = []
    checked_answers = 0
    passed = 0
    with app.app_context():
        for kader in kaders:
            if kader.attempt_id is None:
                continue
            attempt = db.session.get(Attempt, kader.attempt_id)
            stored = {q.position: q for q in attempt.questions}
            for position, (value, seq) in kader.expected.items():
                if position in kader.failed_positions:
                    continue
                checked_answers += 1
                question = stored.get(position)
                if question is None or question.response != value or question.response_seq != seq:
                    held = None if question is None else (question.response, question.response_seq)
                    lost.append(f"attempt {attempt.id} q{position}: {held} != {(value, seq)}")
            if kader.failed_positions:
                continue  # its expected grade is unknown; the failure is already an error
            pass_mark = assessment.attempt_blueprint(attempt).pass_mark
            points, percent, is_passed = expected_grade(kader, pass_mark)
            passed += is_passed
            problems = []
            if attempt.status != "submitted":
                problems.append(f"status {attempt.status}")
            if not (math.isclose(attempt.points or -1, points, abs_tol=1e-9)):
                problems.append(f"points {attempt.points} != {points}")
            if attempt.percent != percent or attempt.is_passed is not is_passed:
                problems.append(f"percent/pass {attempt.percent}/{attempt.is_passed}")
            unit_passes = db.session.scalar(
                sa.select(sa.func.count(UnitPass.id)).where(UnitPass.user_id == kader.user_id)
            )
            if unit_passes != int(is_passed):
                problems.append(f"{unit_passes} unit passes recorded")
            for reported in kader.submit_results:
                if reported.get("percent") != percent or reported.get("is_passed") is not is_passed:
                    problems.append(f"submit reported {reported.get('percent')}")
            for position, question in stored.items():
                score = grading.grade(*kader.questions[position], kader.expected[position][0])
                if question.points != score.points or question.is_correct != score.is_correct:
                    problems.append(f"q{position} points {question.points} != {score.points}")
            if problems:
                wrong.append(f"attempt {attempt.id}: " + "; ".join(problems))
        db.session.remove()
    return {
        "answers_checked": checked_answers,
        "lost_answers": len(lost),
        "lost_samples": lost[:5],
        "wrong_grades": len(wrong),
        "wrong_samples": wrong[:5],
        "attempts_passed": passed,
    }


# --------------------------------------------------------------------------- floor


def phase_floor(port: int, plan_sizes: list[int], op: Operation) -> None:
    def work(i: int, start_line: threading.Barrier) -> None:
        client = Client(port)
        start_line.wait()
        for j in range(plan_sizes[i]):
            body = {"key": f"k{i}-{j}", "value": j}
            timed(op, client, "POST", "/insert", (201,), body=body)
        client.close()

    run_together(len(plan_sizes), work)


# --------------------------------------------------------------------------- test page


class AssetFinder(HTMLParser):
    """Same-site URLs a browser fetches on first view: stylesheets, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        url = None
        if tag == "link" and values.get("rel") in ("stylesheet", "icon", "preload", "manifest"):
            url = values.get("href")
        elif tag in ("script", "img", "iframe"):
            url = values.get("src")
        if url and not url.startswith("data:") and not urlsplit(url).netloc:
            self.urls.append(url)


CSRF_FIELD = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)


def form_login(client: Client, phone: str) -> None:
    page = client.request("GET", "/masuk")
    match = CSRF_FIELD.search(page.body.decode())
    if page.status != 200 or match is None:
        raise RuntimeError(f"login page: {page.status}")
    form = {
        "csrf_token": match.group(1) or match.group(2),
        "phone": format_phone(phone),
        "password": KADER_PASSWORD,
    }
    reply = client.request("POST", "/masuk", form=form)
    if reply.status != 302:
        raise RuntimeError(f"form login answered {reply.status}")


def first_view(client: Client, path: str) -> dict[str, Any]:
    """The page and every same-site asset it references: raw and gzip bytes, request count."""
    page = client.request("GET", path)
    finder = AssetFinder()
    finder.feed(page.body.decode())
    items = [(path, page.status, page.body)]
    for url in dict.fromkeys(finder.urls):
        asset = client.request("GET", url)
        items.append((url, asset.status, asset.body))
    raw = sum(len(body) for _, _, body in items)
    compressed = sum(len(gzip.compress(body, compresslevel=6)) for _, _, body in items)
    return {
        "requests": len(items),
        "raw_kb": round(raw / 1024, 1),
        "gzip_kb": round(compressed / 1024, 1),
        "items": [
            {"url": url, "status": status, "bytes": len(body), "gzip": len(gzip.compress(body))}
            for url, status, body in items
        ],
    }


def phase_page(
    port: int,
    page_kader: list[tuple[int, str, int]],
    seconds: float,
    op: Operation,
    meter: Callable[[], CpuMeter],
) -> tuple[dict[str, Any], dict[str, float]]:
    """Each client signs in through the HTML form; client 0 weighs the first view; then all
    load their attempt page for `seconds` (CPU metered from the start line on)."""
    views: dict[str, Any] = {}
    meters: list[CpuMeter] = []

    def work(i: int, start_line: threading.Barrier) -> None:
        _user_id, phone, attempt_id = page_kader[i]
        client = Client(port)
        path = f"/uji/percobaan/{attempt_id}"
        try:
            form_login(client, phone)
            if i == 0:
                views.update(first_view(client, path))
        except (OSError, http.client.HTTPException, RuntimeError) as error:
            op.record_error(f"page client {i}: {error}", "page login failed")
            start_line.wait()
            return
        start_line.wait()
        deadline = time.perf_counter() + seconds
        for _ in range(MAX_PAGE_REQUESTS_PER_CLIENT):
            if time.perf_counter() >= deadline:
                break
            timed(op, client, "GET", path, (200,))
        client.close()

    run_together(len(page_kader), work, on_start=lambda: meters.append(meter()))
    return views, meters[0].stop()


# --------------------------------------------------------------------------- one database


def save_target_ms(kader: int) -> float:
    return SAVE_P95_TARGET_MS[70] if kader <= 70 else SAVE_P95_TARGET_MS[300]


def run_database(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix=f"binakader-bench-{kind}-"))
    instance = folder / "instance"
    ops = {
        name: Operation(name)
        for name in ("login", "start", "saveAnswer", "submit", "floor insert", "attempt page")
    }
    cpu: dict[str, dict[str, float]] = {}
    result: dict[str, Any] = {
        "database": kind,
        "kader": args.kader,
        "workers": args.workers,
        "think_s": args.think,
        "page_seconds": args.page_seconds,
    }
    try:
        with fresh_database(kind, folder) as url:
            database_pids = (
                postgres_backends(url.rpartition("/")[2]) if kind == "postgresql" else list
            )
            app = build_app(url, instance)
            try:
                clock = time.perf_counter()
                hall_accounts, page_accounts = prepare(app, args.kader)
                result["setup_seconds"] = round(time.perf_counter() - clock, 1)
                env = server_environment(url, instance)
                result["redis"] = "REDIS_URL" in env
                with Server("wsgi:app", args.workers, env, folder / "gunicorn.log") as server:
                    server.wait_ready("/healthz")
                    kaders = [
                        Kader(i, user_id, phone, Client(server.port))
                        for i, (user_id, phone) in enumerate(hall_accounts)
                    ]
                    pid = server.process.pid if server.process else None

                    def meter(pid: int | None = pid) -> CpuMeter:
                        return CpuMeter(pid, database_pids)

                    hall_phases(app, kaders, ops, cpu, meter, result, args.think)
                    with app.app_context():
                        page_attempts = dict(
                            db.session.execute(
                                sa.select(Attempt.user_id, Attempt.id).where(
                                    Attempt.user_id.in_([u for u, _ in page_accounts])
                                )
                            ).all()
                        )
                        db.session.remove()
                    page_kader = [(u, p, page_attempts[u]) for u, p in page_accounts]
                    result["first_view"], cpu["attempt page"] = phase_page(
                        server.port, page_kader, args.page_seconds, ops["attempt page"], meter
                    )
                    for kader in kaders:
                        kader.client.close()
                        if kader.second is not None:
                            kader.second.close()
                    result["server_log_tail"] = server.log_tail()
                    result["server_exceptions"] = server.log_count("Traceback")
                    result["server_database_locked"] = server.log_count(
                        "OperationalError) database is locked"
                    )
                floor_app.create_table(url)
                with Server("floor_app:create_app()", args.workers, env, folder / "floor.log") as s:
                    s.wait_ready("/ping")
                    floor_meter = CpuMeter(s.process.pid if s.process else None, database_pids)
                    sizes = [len(k.saves) + k.saved_racing for k in kaders]
                    phase_floor(s.port, sizes, ops["floor insert"])
                    cpu["floor insert"] = floor_meter.stop()
            finally:
                with app.app_context():
                    db.session.remove()
                    db.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result["operations"] = {name: op.summary() for name, op in ops.items()}
    for name, usage in cpu.items():
        own = usage["gunicorn_cpu_s"] + usage["database_cpu_s"] + usage["bench_client_cpu_s"]
        usage["app_ms_per_request"] = round(1000 * own / max(1, len(ops[name].latencies)), 2)
    result["cpu"] = cpu
    judge(result, args)
    return result


def hall_phases(
    app: Flask,
    kaders: list[Kader],
    ops: dict[str, Operation],
    cpu: dict[str, dict[str, float]],
    meter: Callable[[], CpuMeter],
    result: dict[str, Any],
    think: float,
) -> None:
    running = meter()
    phase_login(kaders, ops["login"])
    cpu["login"] = running.stop()

    running = meter()
    phase_start(kaders, ops["start"])
    cpu["start"] = running.stop()
    result["start_spread_s"] = round(ops["start"].wall, 3)
    result["kader_without_token"] = sum(k.client.token is None for k in kaders)
    result["kader_without_attempt"] = sum(k.attempt_id is None for k in kaders)

    started = [k for k in kaders if k.attempt_id is not None]
    questions = attempt_questions(app, [k.attempt_id for k in started if k.attempt_id])
    for kader in started:
        kader.questions = questions.get(kader.attempt_id or 0, {})
        plan_saves(kader)

    running = meter()
    phase_save(kaders, ops["saveAnswer"], think)
    cpu["saveAnswer"] = running.stop()
    result["ack_mismatches"] = sum(k.ack_mismatches for k in kaders)
    result["saves_twice"] = sum(k.saved_twice for k in kaders)
    result["saves_out_of_order"] = sum(k.saved_late for k in kaders)
    result["saves_racing"] = sum(k.saved_racing for k in kaders)
    result["double_submits"] = sum(k.double_submit for k in kaders)

    running = meter()
    phase_submit(kaders, ops["submit"])
    cpu["submit"] = running.stop()
    result["submit_spread_s"] = round(ops["submit"].wall, 3)

    result.update(verify(app, kaders))


# --------------------------------------------------------------------------- report


def judge(result: dict[str, Any], args: argparse.Namespace) -> None:
    ops = result["operations"]
    errors = sum(op["errors"] for name, op in ops.items() if name != "floor insert")
    result["errors"] = errors
    save_ops, floor_ops = ops["saveAnswer"], ops["floor insert"]
    ratio = save_ops["rps"] / floor_ops["rps"] if floor_ops["rps"] else 0.0
    result["save_to_floor_ratio"] = round(ratio, 2)
    page = ops["attempt page"]
    view = result.get("first_view", {})
    target_ms = save_target_ms(args.kader)
    targets = [
        ("zero errors", errors == 0, f"{errors}"),
        ("zero lost answers", result["lost_answers"] == 0, f"{result['lost_answers']}"),
        ("zero wrong grades", result["wrong_grades"] == 0, f"{result['wrong_grades']}"),
        (
            f"saveAnswer p95 < {target_ms:.0f} ms "
            + (f"(think {args.think:g} s)" if args.think else "(back to back)"),
            save_ops["p95_ms"] < target_ms,
            f"{save_ops['p95_ms']} ms",
        ),
        (
            f"all attempts started within {START_SPREAD_TARGET_S:.0f} s"
            + ("" if args.kader <= 70 else " (target stated for 70)"),
            result["start_spread_s"] <= START_SPREAD_TARGET_S
            and result["kader_without_attempt"] == 0,
            f"{result['start_spread_s']} s",
        ),
        (
            f"test page >= {PAGE_RPS_TARGET:.0f} req/s at {PAGE_CLIENTS} clients (10x Moodle)",
            page["rps"] >= PAGE_RPS_TARGET,
            f"{page['rps']} req/s",
        ),
        (
            f"test page < {PAGE_KB_TARGET:.0f} KB compressed on first view",
            0 < view.get("gzip_kb", 0) < PAGE_KB_TARGET,
            f"{view.get('gzip_kb')} KB",
        ),
        (
            f"test page in <= {PAGE_REQUESTS_TARGET} requests on first view",
            0 < view.get("requests", 0) <= PAGE_REQUESTS_TARGET,
            f"{view.get('requests')}",
        ),
    ]
    result["targets"] = [
        {"target": name, "pass": bool(ok), "measured": measured} for name, ok, measured in targets
    ]


def print_report(result: dict[str, Any]) -> None:
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["database"]]
    print(
        f"\n== {title}: {result['kader']} kader, gunicorn {result['workers']} sync workers, "
        f"Redis counters {'on' if result.get('redis') else 'off'}, "
        f"think {result['think_s']:g} s (setup {result['setup_seconds']} s) =="
    )
    print(f"{'operation':<14}{'requests':>9}{'req/s':>9}{'p50':>8}{'p95':>8}{'p99':>8}"
          f"{'max':>8}{'errors':>8}   (latencies in ms)")  # fmt: skip
    for name, op in result["operations"].items():
        print(
            f"{name:<14}{op['requests']:>9}{op['rps']:>9.1f}{op['p50_ms']:>8.1f}"
            f"{op['p95_ms']:>8.1f}{op['p99_ms']:>8.1f}{op['max_ms']:>8.1f}{op['errors']:>8}"
        )
    ops = result["operations"]
    view = result.get("first_view", {})
    print(
        f"saves: {ops['saveAnswer']['requests']} ({result['saves_twice']} second saves, "
        f"{result['saves_out_of_order']} late older saves answered applied=false, "
        f"{result['saves_racing']} pairs sent at the same moment); "
        f"ack mismatches {result['ack_mismatches']}; double submits {result['double_submits']}"
    )
    print(
        f"answers checked {result['answers_checked']}: lost {result['lost_answers']}; "
        f"attempts graded wrongly {result['wrong_grades']} "
        f"({result['attempts_passed']} of {result['kader']} passed); kader left without a "
        f"token {result['kader_without_token']}, without an attempt "
        f"{result['kader_without_attempt']}"
    )
    print(
        f"server log: {result['server_exceptions']} tracebacks, "
        f"{result['server_database_locked']} 'database is locked'"
    )
    print(
        f"start spread (first start sent -> last started): {result['start_spread_s']} s; "
        f"submit spread {result['submit_spread_s']} s"
    )
    paced = " (not a capacity ratio: the saves were paced)" if result["think_s"] else ""
    print(
        f"floor (bare Flask + SQLAlchemy insert): {ops['floor insert']['rps']} req/s; "
        f"saveAnswer / floor = {result['save_to_floor_ratio']}{paced}"
    )
    print(
        f"test page, {PAGE_CLIENTS} clients: {ops['attempt page']['rps']} req/s, "
        f"p95 {ops['attempt page']['p95_ms']} ms; first view {view.get('gzip_kb')} KB gzip "
        f"({view.get('raw_kb')} KB raw) in {view.get('requests')} requests"
    )
    print(
        f"CPU seconds per phase ({os.cpu_count()} cores; 'other' is the kernel and anything else "
        "running on the machine):"
    )
    print(f"  {'phase':<14}{'wall':>7}{'machine':>9}{'gunicorn':>10}{'database':>10}"
          f"{'client':>8}{'other':>7}{'ms/req':>8}")  # fmt: skip
    for name, usage in result["cpu"].items():
        print(
            f"  {name:<14}{usage['wall_s']:>7.2f}{usage['machine_cpu_s']:>9.2f}"
            f"{usage['gunicorn_cpu_s']:>10.2f}{usage['database_cpu_s']:>10.2f}"
            f"{usage['bench_client_cpu_s']:>8.2f}{usage['other_cpu_s']:>7.2f}"
            f"{usage['app_ms_per_request']:>8.1f}"
        )
    print("  (ms/req: CPU of gunicorn + database + client per request, whatever else ran)")
    disturbed = [
        name
        for name, usage in result["cpu"].items()
        if usage["other_cpu_s"] > 0.15 * usage["wall_s"] * (os.cpu_count() or 1)
    ]
    if disturbed:
        print(f"  WARNING: other work used the CPU during {', '.join(disturbed)}; rerun when idle")
    for name, op in result["operations"].items():
        if op["error_kinds"]:
            kinds = ", ".join(f"{kind}: {count}" for kind, count in op["error_kinds"].items())
            print(f"  errors of {name}: {kinds}")
        for sample in op["error_samples"]:
            print(f"  error sample ({name}): {sample}")
    for sample in result["lost_samples"] + result["wrong_samples"]:
        print(f"  check sample: {sample}")
    print("targets:")
    for target in result["targets"]:
        print(f"  {'PASS' if target['pass'] else 'FAIL'}  {target['target']}: {target['measured']}")


def code_fingerprint() -> str:
    """A short hash of the app's code and templates, to tell which state a run measured."""
    digest = hashlib.sha256()
    for folder, pattern in ((REPO / "lms", "*.py"), (REPO / "templates", "*.html")):
        for path in sorted(folder.rglob(pattern)):
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict[str, Any]:
    memory_kb = 0
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "code": code_fingerprint(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kader", type=int, default=70, help="simulated kader (70; also 300)")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--page-seconds", type=float, default=30.0, help="how long the page clients load"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause of a kader before each answer, in seconds (0: back to back)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.kader <= 1000 or not 1 <= args.workers <= 32:
        parser.error("--kader must be 1..1000 and --workers 1..32")
    args.page_seconds = min(max(args.page_seconds, 1.0), 300.0)
    args.think = min(max(args.think, 0.0), MAX_THINK_SECONDS)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    about = machine()
    print(
        f"BinaKader training-hall benchmark, {about['date']}: {about['nproc']} cores, "
        f"{about['memory_gib']} GiB, Python {about['python']}, app code {about['code']}"
    )
    failed = False
    for kind in kinds:
        result = run_database(kind, args)
        result["machine"] = about
        print_report(result)
        paced = f"-think{args.think:g}" if args.think else ""
        out = BENCH / f"results-{kind}-{args.kader}{paced}.json"
        out.write_text(json.dumps(result, indent=2, default=str) + "\n")
        print(f"(written to {out.relative_to(REPO)})")
        failed = failed or not all(t["pass"] for t in result["targets"])
    print("\nAll targets met." if not failed else "\nSome targets missed (see FAIL above).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
