"""The README's run command: `flask --app wsgi serve` sets up and really serves."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_sets_up_and_answers(tmp_path: Path):
    port = free_port()
    env = {
        **os.environ,
        "BINAKADER_INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.db'}",
    }
    env.pop("BINAKADER_ADMIN_PHONE", None)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "serve", "--port", str(port)]
    process = subprocess.Popen(
        flask, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    body = json.load(r)
                    break
            except OSError:
                time.sleep(0.2)
        assert body == {"status": "ok", "database": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/masuk", timeout=2) as response:
            assert "Masuk" in response.read().decode()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "one-time password" in output and f"http://127.0.0.1:{port}/" in output
