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

This file is the command: its options, one run per database, the results files. The benchmark
itself is the package bench/training_hall (its __init__ lists the modules).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from training_hall.machine import machine  # bench/ is first on sys.path when this runs
from training_hall.report import print_report
from training_hall.run import run_database
from training_hall.settings import BENCH, MAX_THINK_SECONDS, REPO


def parse_args(argv: list[str] | None) -> argparse.Namespace:
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
    return args


def write_result(result: dict[str, Any], args: argparse.Namespace) -> None:
    paced = f"-think{args.think:g}" if args.think else ""
    out = BENCH / f"results-{result['database']}-{args.kader}{paced}.json"
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"(written to {out.relative_to(REPO)})")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
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
        write_result(result, args)
        failed = failed or not all(t["pass"] for t in result["targets"])
    print("\nAll targets met." if not failed else "\nSome targets missed (see FAIL above).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
