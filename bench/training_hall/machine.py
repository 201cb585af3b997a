"""What a run ran on: the date, cores, memory, Python and platform, and a fingerprint of the
app's code and templates."""

from __future__ import annotations

import hashlib
import os
import platform
from datetime import UTC, datetime
from typing import Any

from .settings import REPO


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
