"""Scan the template with checkov and compare its findings with checkov-skips.yaml.

checkov runs twice: on template.yaml (SAM-aware rules) and on the template after the SAM
transform (what CloudFormation deploys: generated roles, permissions, API stage). Every finding
must be listed, with a reason, in checkov-skips.yaml, and every listed skip must still match a
finding, so that file stays the complete and current list.

Usage: python scripts/policy_scan.py CHECKOV TEMPLATE TRANSFORMED_JSON [MORE_FILES…]
(more files: variants of the template with other parameter defaults, e.g. FloodProtection=waf)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

SKIPS = Path(__file__).resolve().parents[1] / "checkov-skips.yaml"

Finding = tuple[str, str]  # (check id, resource logical id)


def findings(checkov: str, path: str) -> tuple[set[Finding], int]:
    """Failed checks of one file as (rule, resource), and the number of passed checks."""
    run = subprocess.run(
        [checkov, "-f", path, "--framework", "cloudformation", "--quiet", "-o", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode not in (0, 1):  # 1 means "found something"
        raise SystemExit(f"checkov failed on {path}:\n{run.stderr}")
    report = json.loads(run.stdout)
    results = report.get("results", {}) if isinstance(report, dict) else {}
    failed = {
        (item["check_id"], item["resource"].rsplit(".", 1)[-1])
        for item in results.get("failed_checks", [])
    }
    passed = report.get("summary", {}).get("passed", 0) if isinstance(report, dict) else 0
    return failed, passed


def allowed(skips: dict) -> set[Finding]:
    """The (rule, resource) pairs checkov-skips.yaml accepts; every entry must give a reason."""
    pairs = set()
    for rule, entry in skips.items():
        if not str(entry.get("why", "")).strip():
            raise SystemExit(f"checkov-skips.yaml: {rule} has no reason")
        pairs |= {(rule, resource) for resource in entry["resources"]}
    return pairs


def compare(found: set[Finding], accepted: set[Finding]) -> list[str]:
    """Problems: findings nobody accepted, and accepted skips that match nothing any more."""
    problems = [f"not allowed: {rule} on {res}" for rule, res in sorted(found - accepted)]
    problems += [
        f"stale skip (passes now): {rule} on {res}" for rule, res in sorted(accepted - found)
    ]
    return problems


def main(checkov: str, *paths: str) -> int:
    """Print what was found and accepted; 1 on any problem."""
    found: set[Finding] = set()
    for path in paths:
        failed, passed = findings(checkov, path)
        print(f"checkov {path}: {passed} passed, {len(failed)} failed")
        found |= failed
    skips = yaml.safe_load(SKIPS.read_text(encoding="utf-8"))
    accepted = allowed(skips)
    print(f"accepted in {SKIPS.name}: {len(skips)} rules on {len(accepted)} resources")
    problems = compare(found, accepted)
    for problem in problems:
        print("  " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
