"""Search quality on labelled questions: hit@1, hit@4, MRR@10, no-answer rate and latency."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Protocol

from madoguchi.model import TestCase


class Searcher(Protocol):
    """Anything with SearchIndex's search method (the index itself, or a baseline to compare)."""

    def search(self, query: str, k: int = 4) -> Any: ...


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation), 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def evaluate(index: Searcher, cases: Sequence[TestCase]) -> dict[str, Any]:
    """Run every case; a case hits at rank r when any of its relevant IDs is the r-th hit."""
    details: list[dict[str, Any]] = []
    latencies = []
    for case in cases:
        started = time.perf_counter()
        result = index.search(case.query, k=10)
        latencies.append((time.perf_counter() - started) * 1000)
        ranked = [h.faq.id for h in result.hits]
        relevant = set(case.relevant_ids)
        rank = next((i + 1 for i, faq_id in enumerate(ranked) if faq_id in relevant), None)
        details.append(
            {
                "query": case.query,
                "relevant_ids": list(case.relevant_ids),
                "rank": rank,
                "top": ranked[:4],
                "answered": bool(result.answered),
                "confidence": round(float(getattr(result, "confidence", 0.0)), 4),
                "row": case.row,
            }
        )
    n = len(details)

    def share(predicate: Any) -> float:
        return round(sum(1 for d in details if predicate(d)) / n, 4) if n else 0.0

    return {
        "n": n,
        "hit@1": share(lambda d: d["rank"] == 1),
        "hit@4": share(lambda d: d["rank"] is not None and d["rank"] <= 4),
        "mrr@10": round(sum(1 / d["rank"] for d in details if d["rank"]) / n, 4) if n else 0.0,
        "no_answer_rate": share(lambda d: not d["answered"]),
        "p50_ms": round(_percentile(latencies, 0.50), 3),
        "p99_ms": round(_percentile(latencies, 0.99), 3),
        "cases": details,
    }
