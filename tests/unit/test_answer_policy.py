"""The answer threshold from a target precision: 回答の確かさ, 回答しきい値 and the calibration."""

import pytest

from madoguchi.model import BotSettings, Faq, FaqWorkbook
from madoguchi.search import build_index
from madoguchi.search.answer_policy import (
    CERTAINTY_TARGETS,
    HIGHEST,
    Calibration,
    answer_threshold,
    bounds,
    target_precision,
    threshold_for,
)
from madoguchi.search.confidence import PRECISION_THRESHOLDS

FAQS = (
    Faq("1", "住民票の写しがほしい", "市民課の窓口かコンビニで取れます。"),
    Faq("2", "粗大ごみの出し方", "予約センターに電話してください。"),
)

MEASURED = {0.8: 0.5, 0.88: 0.7, 0.93: 0.8}


def test_a_stricter_target_needs_a_higher_threshold():
    assert threshold_for(0.80, MEASURED) < threshold_for(0.88, MEASURED)
    assert threshold_for(0.88, MEASURED) < threshold_for(0.93, MEASURED)
    # Between measured targets, the threshold of the next stricter one: never below the target.
    assert threshold_for(0.85, MEASURED) == 0.7
    assert threshold_for(0.99, MEASURED) == 0.8


def test_the_shipped_table_rises_with_the_target_and_covers_every_certainty():
    targets = sorted(PRECISION_THRESHOLDS)
    assert [PRECISION_THRESHOLDS[t] for t in targets] == sorted(PRECISION_THRESHOLDS.values())
    for target in CERTAINTY_TARGETS.values():
        assert target in PRECISION_THRESHOLDS


def test_certainty_words_name_targets():
    assert target_precision("ふつう") == 0.88
    assert target_precision("慎重") > target_precision("ふつう") > target_precision("積極的")
    assert target_precision("") == 0.88


def test_a_fixed_threshold_wins_over_certainty_and_calibration():
    calibrated = Calibration(threshold=0.75, target=0.88, status="raised")
    assert answer_threshold(0.3, "ふつう", calibrated, MEASURED) == 0.3


def test_the_calibrated_threshold_counts_only_for_the_same_target_and_within_bounds():
    calibrated = Calibration(threshold=0.75, target=0.88, status="raised")
    assert answer_threshold(None, "ふつう", calibrated, MEASURED) == 0.75
    # Staff chose another certainty since: the calibration no longer applies.
    assert answer_threshold(None, "慎重", calibrated, MEASURED) == 0.8
    low, high = bounds(0.88, MEASURED)
    assert (low, high) == (0.6, HIGHEST)
    too_bold = Calibration(threshold=0.2, target=0.88, status="lowered")
    assert answer_threshold(None, "ふつう", too_bold, MEASURED) == low


def test_calibration_round_trips_and_unreadable_data_is_none():
    calibration = Calibration(0.725, 0.88, 0.861, 412, "raised", "2026-04-02T00:00:00Z", "x")
    assert Calibration.from_dict(calibration.to_dict()) == calibration
    assert Calibration.from_dict(None) is None
    assert Calibration.from_dict({"target": 0.88}) is None  # no threshold


@pytest.mark.parametrize(
    ("settings", "calibration", "expected"),
    [
        (BotSettings(), None, threshold_for(0.88)),
        (BotSettings(answer_certainty="積極的"), None, threshold_for(0.80)),
        (BotSettings(), Calibration(threshold_for(0.88) + 0.05, 0.88), threshold_for(0.88) + 0.05),
        (BotSettings(answer_threshold=0.5), Calibration(0.9, 0.88), 0.5),
    ],
)
def test_the_index_answers_from_the_policy_threshold(settings, calibration, expected):
    index = build_index(FaqWorkbook(faqs=FAQS, settings=settings))
    index.calibration = calibration
    assert index.threshold == pytest.approx(expected)
    assert index.search("住民票がほしい").threshold == pytest.approx(expected)
