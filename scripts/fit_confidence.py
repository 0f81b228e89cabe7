"""Choose the fusion weight, fit the confidence model and the reply thresholds on a dev set.

    python scripts/fit_confidence.py [--workbook faq/faq.xlsx] [--queries tests/data/hard_dev.jsonl]

The questions need a `fold` (0-4). The workbook, its stripped form (質問 and 回答 only, as many
cities have it) and its gapped form (without the FAQs listed in tests/data/gapped_<set>.json, so
about a sixth of the answerable questions have no right FAQ, as in a real city) are searched, with
the semantic signal (as deployed) and without it. Each figure below is from held-out folds: the
weight, the coefficients and the thresholds used on a fold were chosen on the other four. The last
part is Python to paste into madoguchi/search/confidence.py (models and the answer threshold for
each target precision of answers), fusion.py (SEMANTIC_WEIGHT) and index.py (the choice
threshold), fitted on every fold. Embedding the sample's passages takes about two minutes the
first time (madoguchi_dev.e5 keeps the vectors in .local/ afterwards).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from madoguchi.search import build_index
from madoguchi.search.confidence import FEATURES, Model
from madoguchi_dev.e5 import DiskCachedEmbedder, LocalE5
from madoguchi_dev.evaluation import read_workbook, strip_to_question_and_answer
from madoguchi_dev.fitting import Policy, fit, held_out
from madoguchi_dev.gapped import apply, gapped_file, read_removed
from madoguchi_dev.resident_view import FOLDS, Seen, figures, read_questions, search_all
from madoguchi_dev.use import scripts_reader

WEIGHTS = (0.6, 0.8, 1.0, 1.2, 1.5, 2.0)
SHOWN = (
    "hit@1",
    "hit@4",
    "mrr@10",
    "sees_right",
    "answerable_sees_right",
    "honest_not_found",
    "wrong_answer",
    "no_answer",
    "auc",
)


def _width(metric: str) -> int:
    return max(8, len(metric) + 2)


def _in(seen: Sequence[Seen], folds: set[int]) -> list[Seen]:
    return [s for s in seen if s.question.fold in folds]


def _ranking_score(seen: Sequence[Seen]) -> float:
    found = figures(seen)
    return found["hit@1"] + found["hit@4"] + found["mrr@10"]


def choose_weight(indexes: dict, asked: dict) -> None:
    """Cross-validate the fusion weight on the answerable questions of every workbook."""
    runs = {}
    for weight in WEIGHTS:
        for name, index in indexes.items():
            index.semantic_weight = weight
            runs[weight, name] = search_all(index, [q for q in asked[name] if q.relevant_ids])
    held: dict[str, list[Seen]] = {name: [] for name in indexes}
    chosen = []
    for fold in FOLDS:
        train = set(FOLDS) - {fold}
        best = max(
            WEIGHTS, key=lambda w: sum(_ranking_score(_in(runs[w, n], train)) for n in indexes)
        )
        chosen.append(best)
        for name in indexes:
            held[name] += _in(runs[best, name], {fold})
    print(f"fusion weight chosen on the training folds: {chosen}")
    for name, seen in held.items():
        found = figures(seen)
        print(f"  {name:<9} held out: hit@1 {found['hit@1']:.3f}  hit@4 {found['hit@4']:.3f}  "
              f"mrr@10 {found['mrr@10']:.3f}")  # fmt: skip
    # The median of the folds' choices: a weight that does not hang on one fold.
    weight = sorted(chosen)[len(chosen) // 2]
    print(f"  SEMANTIC_WEIGHT = {weight} (madoguchi/search/fusion.py; used below)\n")
    for index in indexes.values():
        index.semantic_weight = weight


def _model_code(name: str, model: Model) -> str:
    weights = ", ".join(f'"{k}": {v:.4g}' for k, v in model.weights.items())
    features = "" if model.features == FEATURES else "\n    features=CLOSE_FEATURES,"
    return f"{name} = Model(\n    bias={model.bias:.4g},\n    weights={{{weights}}},{features}\n)"


def main(argv: list[str] | None = None) -> int:
    """Cross-validate, then print the fitted coefficients."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbook", type=Path, default=Path("faq/faq.xlsx"))
    parser.add_argument("--queries", type=Path, default=Path("tests/data/hard_dev.jsonl"))
    args = parser.parse_args(argv)
    with contextlib.redirect_stderr(io.StringIO()):
        workbook, _ = read_workbook(args.workbook)
    questions = read_questions(args.queries)
    if any(q.fold not in FOLDS for q in questions):
        print("every question needs a fold from 0 to 4", file=sys.stderr)
        return 2
    embedder = DiskCachedEmbedder(LocalE5())
    reader = scripts_reader(lexical=False)
    indexes = {
        "full": build_index(workbook, embedder=embedder),
        "stripped": build_index(strip_to_question_and_answer(workbook), embedder=embedder),
    }
    asked = {"full": questions, "stripped": questions}
    if gapped_file(args.queries).exists():
        gapped, asked["gapped"] = apply(
            workbook, questions, read_removed(gapped_file(args.queries))
        )
        indexes["gapped"] = build_index(gapped, embedder=embedder)
    # The gapped questions are the full set's again: the weight is chosen on full and stripped.
    choose_weight({n: indexes[n] for n in ("full", "stripped")}, asked)
    indexes.get("gapped", indexes["full"]).semantic_weight = indexes["full"].semantic_weight
    for index in indexes.values():
        index.attach_reader(reader)
    deployed = {name: search_all(index, asked[name]) for name, index in indexes.items()}
    lexical = {}
    for name, index in indexes.items():
        index.attach_embedder(None)
        lexical[name] = search_all(index, asked[name])
        index.attach_embedder(embedder)
    # e5 without the second reader: the model used when it cannot load (second_reader).
    alone = {}
    for name, index in indexes.items():
        index.attach_reader(None)
        alone[name] = search_all(index, asked[name])
        index.attach_reader(reader)
    others = {**{f"{n} (BM25)": seen for n, seen in lexical.items()}}
    others.update({f"{n} (e5)": seen for n, seen in alone.items()})
    runs = {**deployed, **others}
    held: dict[str, list] = {name: [] for name in runs}
    order: dict[str, list[Seen]] = {name: [] for name in runs}
    print("thresholds chosen on the training folds (answer / choices):")
    for fold in FOLDS:
        train = set(FOLDS) - {fold}
        policy = fit(
            [s for seen in deployed.values() for s in _in(seen, train)],
            [s for seen in (*lexical.values(), *alone.values()) for s in _in(seen, train)],
        )
        print(f"  fold {fold}: {policy.threshold:.3f} / {policy.choice_threshold:.2f}")
        for name, seen in runs.items():
            order[name] += _in(seen, {fold})
            held[name] += held_out(_in(seen, {fold}), policy)
    print(
        "\nheld-out folds, as residents would see them (BM25: without the semantic signal; e5:"
        " without the second reader):"
    )
    print(f"  {'workbook':<16}" + "".join(f"{m:>{_width(m)}}" for m in SHOWN))
    for name in runs:
        found = figures(order[name], results=held[name])
        print(f"  {name:<16}" + "".join(f"{found[m]:>{_width(m)}.3f}" for m in SHOWN))
    final: Policy = fit(
        [s for seen in deployed.values() for s in seen],
        [s for seen in (*lexical.values(), *alone.values()) for s in seen],
    )
    print("\n# fitted on every fold: madoguchi/search/confidence.py")
    print(_model_code("WITH_READER", final.models.with_reader))
    print(_model_code("CLOSE_WITH_READER", final.models.close_reader))
    print(_model_code("WITH_SEMANTIC", final.models.with_semantic))
    print(_model_code("LEXICAL_ONLY", final.models.lexical))
    print(_model_code("CLOSE_WITH_SEMANTIC", final.models.close_semantic))
    print(_model_code("CLOSE_LEXICAL", final.models.close_lexical))
    listed = ", ".join(f"{t}: {v}" for t, v in sorted(final.thresholds.items()))
    print(f"PRECISION_THRESHOLDS = {{{listed}}}")
    print("# madoguchi/search/index.py")
    print(f"CHOICE_THRESHOLD = {final.choice_threshold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
