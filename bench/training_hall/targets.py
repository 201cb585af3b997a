"""Pass or fail against the targets of issue 4 point 10, from a run's figures."""

from __future__ import annotations

import argparse
from typing import Any

from .settings import (
    PAGE_CLIENTS,
    PAGE_KB_TARGET,
    PAGE_REQUESTS_TARGET,
    PAGE_RPS_TARGET,
    SAVE_P95_TARGET_MS,
    START_SPREAD_TARGET_S,
)


def save_target_ms(kader: int) -> float:
    return SAVE_P95_TARGET_MS[70] if kader <= 70 else SAVE_P95_TARGET_MS[300]


def judge(result: dict[str, Any], args: argparse.Namespace) -> None:
    """Adds the error count, the saveAnswer / floor ratio and every target's verdict."""
    ops = result["operations"]
    errors = sum(op["errors"] for name, op in ops.items() if name != "floor insert")
    result["errors"] = errors
    save_ops, floor_ops = ops["saveAnswer"], ops["floor insert"]
    ratio = save_ops["rps"] / floor_ops["rps"] if floor_ops["rps"] else 0.0
    result["save_to_floor_ratio"] = round(ratio, 2)
    result["targets"] = [
        {"target": name, "pass": bool(ok), "measured": measured}
        for name, ok, measured in verdicts(result, args)
    ]


def verdicts(result: dict[str, Any], args: argparse.Namespace) -> list[tuple[str, bool, str]]:
    """(target, met, what was measured) for every target."""
    ops = result["operations"]
    save_ops, page = ops["saveAnswer"], ops["attempt page"]
    view = result.get("first_view", {})
    target_ms = save_target_ms(args.kader)
    errors = result["errors"]
    return [
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
