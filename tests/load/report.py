"""Print the load run's table and checks (setup/load.sh); exit 1 when a target is missed.

Reads, from the results folder: stats-<side>.json (webclient.Stats per side),
checks-addons.json (checks.py) and server-<side>.log (errors logged by the servers).
Targets: no unexpected failure, no inconsistency, p95 of a stage move within 1.5x of
vanilla CRM's.
"""

import argparse
import json
import re
import sys
from pathlib import Path

from webclient import percentile

MOVE_ACTION = "move stage"
MOVE_RATIO_TARGET = 1.5
LOG_ERROR = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


def load(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def fmt(value, digits=0):
    if value is None:
        return "-"
    return f"{value:.{digits}f}"


def ratio(value, base):
    if value is None or not base:
        return None
    return value / base


def summary(stats):
    rows = {}
    for action, data in (stats or {}).get("actions", {}).items():
        latencies = data["latencies_ms"]
        rows[action] = {
            "count": data["ok"] + data["refused"] + data["failed"],
            "failed": data["failed"],
            "refused": data["refused"],
            "p50": percentile(latencies, 0.5),
            "p95": percentile(latencies, 0.95),
            "refusals": data["refusals"],
            "failures": data["failures"],
        }
    return rows


def throughput(stats):
    if not stats or not stats.get("started") or not stats.get("stopped"):
        return None
    return stats["requests"] / max(stats["stopped"] - stats["started"], 1e-9)


def server_errors(path):
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    return [line for line in lines if LOG_ERROR.match(line)]


def table(headers, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = [
        "| " + " | ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    ]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        cells = [
            str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


HEADERS = [
    "action",
    "count",
    "failures",
    "refusals (expected)",
    "p50 ms",
    "p95 ms",
    "vanilla count",
    "vanilla p50",
    "vanilla p95",
    "p50 ratio",
    "p95 ratio",
]


def print_actions(addons, vanilla):
    """The table: actions of both sides first, then those of the addons only."""
    rows = []
    for action in sorted(set(addons) | set(vanilla), key=lambda a: (a not in vanilla, a)):
        ours, base = addons.get(action), vanilla.get(action)
        shown = ours or base
        rows.append(
            [
                action if ours else f"{action} (vanilla run only)",
                shown["count"],
                shown["failed"],
                shown["refused"],
                fmt(shown["p50"]),
                fmt(shown["p95"]),
                (base["count"] if base else "-") if ours else "",
                fmt(base and base["p50"]) if ours else "",
                fmt(base and base["p95"]) if ours else "",
                fmt(ratio(ours and ours["p50"], base and base["p50"]), 2),
                fmt(ratio(ours and ours["p95"], base and base["p95"]), 2),
            ]
        )
    print(table(HEADERS, rows))


def print_outcomes(folder, addons, vanilla):
    """Unexpected failures and refusals by message, server log errors; the missed target."""
    failed = 0
    for side, rows in (("addons", addons), ("vanilla", vanilla)):
        for action, row in rows.items():
            failed += row["failed"]
            for message, count in row["failures"].items():
                print(f"  unexpected [{side}] {action} x{count}: {message}")
    for action, row in addons.items():
        for message, count in row["refusals"].items():
            print(f"  refused [{action}] x{count}: {message}")
    for side in ("addons", "vanilla"):
        errors = server_errors(folder / f"server-{side}.log")
        retried = [line for line in errors if "odoo.sql_db: bad query" in line]
        if retried:
            # logged by the cursor, then retried by Odoo (a user never saw them) or met by
            # a scheduled action (retried at its next run)
            print(f"  server log [{side}]: {len(retried)} failed queries (concurrent updates)")
        for line in [line for line in errors if line not in retried][:10]:
            print(f"  server log [{side}]: {line[:240]}")
    return [f"{failed} unexpected errors reached a user"] if failed else []


def print_checks(checks):
    print("\nConsistency checks (addons database):")
    print("  run activity: " + ", ".join(f"{k} {v}" for k, v in checks["activity"].items()))
    failures = 0
    for check in checks["checks"]:
        status = "PASS" if not check["failures"] else "FAIL"
        failures += check["failures"]
        note = f" ({check['note']})" if check["note"] else ""
        print(f"  {status}  {check['name']}: {check['failures']}{note}")
        if check["failures"]:
            print(f"        e.g. {check['examples']}")
    return [f"{failures} inconsistencies"] if failures else []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--users", type=int)
    parser.add_argument("--duration", type=int)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--cron-threads", type=int)
    parser.add_argument("--uptime", default="")
    args = parser.parse_args()
    folder = Path(args.results)
    stats = {side: load(folder / f"stats-{side}.json") for side in ("addons", "vanilla")}
    addons, vanilla = summary(stats["addons"]), summary(stats["vanilla"])
    checks = load(folder / "checks-addons.json")

    print(
        f"\nLoad run: {args.users} simulated users, {args.duration} s measured per side, "
        f"--workers {args.workers} --max-cron-threads {args.cron_threads}; "
        f"machine at the end: {args.uptime.strip()}"
    )
    print_actions(addons, vanilla)
    for side, data in stats.items():
        if data:
            print(f"{side}: {data['requests']} requests, {fmt(throughput(data), 1)} requests/s")
        try:
            load_avg = (folder / f"uptime-{side}.txt").read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            continue
        averages = [line.split("load average:")[-1].strip() for line in load_avg]
        print(f"  machine load average before / after the {side} run: {' / '.join(averages)}")
    missed = print_outcomes(folder, addons, vanilla)
    if checks:
        missed += print_checks(checks)
    elif stats["addons"]:
        missed.append("the consistency checks did not run")
    move = ratio(addons.get(MOVE_ACTION, {}).get("p95"), vanilla.get(MOVE_ACTION, {}).get("p95"))
    if move is not None:
        verdict = "met" if move <= MOVE_RATIO_TARGET else "MISSED"
        print(
            f"\np95 of a stage move: {move:.2f}x vanilla (target {MOVE_RATIO_TARGET}x): {verdict}"
        )
        if move > MOVE_RATIO_TARGET:
            missed.append(f"stage move p95 {move:.2f}x vanilla")
    if missed:
        print("TARGETS MISSED: " + "; ".join(missed))
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
