"""Every kind of broken or hostile workbook ends as staff are told, never in a traceback.

The kinds are built for real in tests/support/hostile_workbooks.py; scripts/reliability_workbooks.py
times the same kinds for the README's Reliability table.
"""

from __future__ import annotations

import pytest

from madoguchi.workbook import format_report_ja, validate_workbook
from tests.support.hostile_workbooks import KINDS, PUBLISHED, REFUSED, Kind


def test_the_catalog_covers_at_least_sixty_distinct_kinds():
    assert len(KINDS) >= 60
    assert len({kind.name for kind in KINDS}) == len(KINDS)
    assert {kind.outcome for kind in KINDS} == {PUBLISHED, REFUSED}


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_each_kind_ends_with_the_outcome_and_message_staff_need(kind: Kind):
    result = validate_workbook(kind.build())  # never raises: a traceback fails here
    report = format_report_ja(result)
    report.encode("utf-8")  # no unpaired surrogate can reach the mail

    if kind.outcome == REFUSED:
        assert not result.ok and result.errors, result.problems
        assert "公開できません" in report
        findings = result.errors
    else:
        assert result.ok, [(p.cell, p.message) for p in result.errors]
        assert "公開できます" in report
        findings = result.warnings
    for problem in result.problems:
        assert problem.message and problem.fix, problem  # every finding says how to fix it
    if kind.says:
        said = [p for p in findings if kind.says in p.message + p.fix]
        assert said, [(p.severity.value, p.message) for p in result.problems]
    if kind.check is not None:
        kind.check(result)
