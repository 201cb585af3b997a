"""Where the benchmark runs, the accounts it makes, the bounds of every loop and the targets."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "bench"
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "127.0.0.1"  # the only address this benchmark ever talks to
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
