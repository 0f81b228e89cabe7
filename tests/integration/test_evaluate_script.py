"""scripts/evaluate.py on the sample workbook and part of the hard dev set (BM25 alone)."""

import itertools
import json
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
evaluate = runpy.run_path(str(ROOT / "scripts" / "evaluate.py"), run_name="evaluate")


def dev_questions(tmp_path: Path, per_fold: int = 24) -> Path:
    """The first questions of each fold of the hard dev set, those without a right FAQ included."""
    kept, counts = [], dict.fromkeys(range(5), 0)
    for line in (ROOT / "tests" / "data" / "hard_dev.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        if counts[item["fold"]] < per_fold:
            counts[item["fold"]] += 1
            kept.append(line)
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(kept), encoding="utf-8")
    return path


def sweep_rows(output: str) -> list[dict[str, float]]:
    """The rows of the choice-threshold table, by column name."""
    lines = output.split("held out at each choice threshold", 1)[1].splitlines()[1:]
    header = lines[0].split()
    rows = []
    for line in lines[1:]:
        if not line.strip():
            break
        values = [float(v) for v in line.split()]
        rows.append(dict(zip(header, values, strict=True)))
    return rows


def test_sweep_shows_the_held_out_trade_off_between_choices_and_not_found(tmp_path, capsys):
    queries = dev_questions(tmp_path)
    arguments = ["--queries", str(queries), "--lexical", "--folds", "--sweep", "--misses", "0"]
    assert evaluate["main"](arguments) == 0
    output = capsys.readouterr().out
    rows = sweep_rows(output)
    assert [row["choice"] for row in rows] == [round(0.05 * i, 2) for i in range(17)]
    # Each step up says "not found" to at least as many questions, so at least as many of those
    # without a right FAQ get it honestly, and never more of the others see a right FAQ.
    for lower, higher in itertools.pairwise(rows):
        assert higher["not_found"] >= lower["not_found"]
        assert higher["honest_not_found"] >= lower["honest_not_found"]
        assert higher["answerable_sees_right"] <= lower["answerable_sees_right"]
    assert rows[-1]["not_found"] > rows[0]["not_found"]
    summary = json.loads(output.strip().splitlines()[-1])
    assert summary["n"] == 120 and summary["semantic"] is False


def test_sweep_without_folds_is_a_usage_error(tmp_path, capsys):
    queries = dev_questions(tmp_path, per_fold=2)
    assert evaluate["main"](["--queries", str(queries), "--lexical", "--sweep"]) == 2
    assert "--folds" in capsys.readouterr().err
