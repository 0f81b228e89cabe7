"""When the best hit is given as *the* answer: a target precision of answers, in plain words.

Staff choose how sure the bot must be (設定 → 回答の確かさ: ふつう / 慎重 / 積極的); each names a
target precision of answers (the share of given answers that are right). The confidence threshold
that reaches it was measured on the dev sets (confidence.PRECISION_THRESHOLDS); each night the
indexer may move it a step toward the target from what residents did after their answers
(madoguchi.learning.calibration), within bounds around the measured one. A number in 回答しきい値
fixes the threshold and turns that off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from madoguchi.search.confidence import PRECISION_THRESHOLDS

# 回答の確かさ -> target precision of answers. ふつう: about one answer in eight may be wrong;
# below the threshold the resident chooses among the closest FAQs instead.
CERTAINTY_TARGETS: dict[str, float] = {"ふつう": 0.88, "慎重": 0.93, "積極的": 0.80}
DEFAULT_CERTAINTY = "ふつう"
# How far the nightly calibration may move the threshold from the measured one: at most BELOW
# under it (bolder answers rest on the residents' word, and a biased estimate must not run away),
# up to HIGHEST above it (more careful only means choices instead of one answer). Its steps:
# SMALL_STEP near the target, STEP when the estimate is further than FAR from it.
BELOW = 0.10
STEP = 0.05
SMALL_STEP = 0.025
FAR = 0.05
LOWEST, HIGHEST = 0.20, 0.95


def target_precision(certainty: str) -> float:
    """The target precision 回答の確かさ names (ふつう for anything else)."""
    return CERTAINTY_TARGETS.get(certainty, CERTAINTY_TARGETS[DEFAULT_CERTAINTY])


def threshold_for(target: float, measured: Mapping[float, float] = PRECISION_THRESHOLDS) -> float:
    """The confidence threshold whose answers were right at least `target` of the time on the
    dev sets (`measured`: target -> threshold; the one measured for the nearest target at or
    above it, the highest beyond)."""
    above = [t for t in sorted(measured) if t >= target - 1e-9]
    if not above:
        return max(measured.values())
    return measured[above[0]]


def bounds(
    target: float, measured: Mapping[float, float] = PRECISION_THRESHOLDS
) -> tuple[float, float]:
    """The range the nightly calibration keeps the threshold in, for this target."""
    base = threshold_for(target, measured)
    return max(LOWEST, round(base - BELOW, 3)), max(base, HIGHEST)


@dataclass(frozen=True)
class Calibration:
    """The answer threshold the nightly calibration chose, and why (stored beside the index)."""

    threshold: float
    target: float
    estimate: float | None = None  # estimated precision of the answers judged
    judged: int = 0  # answers whose outcome residents showed (see learning.calibration)
    status: str = "collecting"  # collecting | raised | lowered | held | at_bound | fixed
    since: str = ""  # ISO UTC: answers from here on are judged (the last change)
    checked_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Calibration | None:
        """Inverse of to_dict; None for nothing or something unreadable."""
        if not isinstance(data, dict):
            return None
        known = {f.name for f in fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except TypeError:
            return None


def answer_threshold(
    fixed: float | None,
    certainty: str,
    calibration: Calibration | None = None,
    measured: Mapping[float, float] = PRECISION_THRESHOLDS,
) -> float:
    """The threshold the webhook answers from: 回答しきい値 when set, else the calibrated one
    for the same 回答の確かさ, else the one measured for its target."""
    if fixed is not None:
        return float(fixed)
    target = target_precision(certainty)
    if calibration is not None and calibration.status != "fixed" and calibration.target == target:
        low, high = bounds(target, measured)
        return min(high, max(low, float(calibration.threshold)))
    return threshold_for(target, measured)
