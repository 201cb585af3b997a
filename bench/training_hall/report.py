"""The printed report of one database: the operations table, what was checked, the CPU per
phase, error and check samples, and the targets, PASS or FAIL."""

from __future__ import annotations

import os
from typing import Any

from .settings import PAGE_CLIENTS


def print_report(result: dict[str, Any]) -> None:
    print_operations(result)
    print_findings(result)
    print_cpu(result)
    print_problems(result)
    print("targets:")
    for target in result["targets"]:
        print(f"  {'PASS' if target['pass'] else 'FAIL'}  {target['target']}: {target['measured']}")


def print_operations(result: dict[str, Any]) -> None:
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


def print_findings(result: dict[str, Any]) -> None:
    """Saves, checked answers and grades, the server log, spreads, floor and test page."""
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


def print_cpu(result: dict[str, Any]) -> None:
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


def print_problems(result: dict[str, Any]) -> None:
    """Errors by kind with samples, and samples of lost answers and wrong grades."""
    for name, op in result["operations"].items():
        if op["error_kinds"]:
            kinds = ", ".join(f"{kind}: {count}" for kind, count in op["error_kinds"].items())
            print(f"  errors of {name}: {kinds}")
        for sample in op["error_samples"]:
            print(f"  error sample ({name}): {sample}")
    for sample in result["lost_samples"] + result["wrong_samples"]:
        print(f"  check sample: {sample}")
