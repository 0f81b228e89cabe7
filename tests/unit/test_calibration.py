"""Self-calibration: answers judged from what residents did next, and the nightly step."""

from datetime import UTC, datetime, timedelta

import pytest

from madoguchi.learning.calibration import (
    MIN_JUDGED,
    Judged,
    judge_answers,
    next_calibration,
    window_start,
)
from madoguchi.model import BotSettings
from madoguchi.search.answer_policy import SMALL_STEP, STEP, Calibration, bounds
from madoguchi.searchlog import model as log_model

START = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)
LATER = START + timedelta(days=1)
MEASURED = {0.8: 0.5, 0.88: 0.7, 0.93: 0.8}
TOP = ("F1", "F2", "F3")


def answer(n: int, user: str = "", answered: bool = True) -> log_model.LogRecord:
    """An answered search by a resident of its own, ten minutes after the previous one."""
    return log_model.new_search(
        now=START + timedelta(minutes=10 * n),
        user=user or f"{n:016d}",
        query="",
        top=[log_model.TopHit(f, 1.0) for f in TOP],
        answered=answered,
        retention_days=90,
    )


def event(kind: str, search: log_model.LogRecord, seconds: int, **fields) -> log_model.LogRecord:
    return log_model.new_event(
        kind,
        now=search.at + timedelta(seconds=seconds),
        user=search.user_ref,
        retention_days=90,
        search_id=search.id,
        **fields,
    )


def asked_again(search: log_model.LogRecord, seconds: int) -> log_model.LogRecord:
    return log_model.new_search(
        now=search.at + timedelta(seconds=seconds),
        user=search.user_ref,
        query="",
        top=[],
        answered=False,
        retention_days=90,
    )


def test_what_residents_said_and_did_is_counted_per_answer():
    rated_right, rated_wrong, tapped, again, silent = (answer(n) for n in range(5))
    records = [rated_right, rated_wrong, tapped, again, silent]
    records.append(answer(5, answered=False))  # choices are not answers
    records += [
        event(log_model.FEEDBACK, rated_right, 30, faq_id="F1", helpful=True),
        # A follow-up after rating it right: what residents who are content do too.
        asked_again(rated_right, 60),
        event(log_model.FEEDBACK, rated_wrong, 30, faq_id="F1", helpful=False),
        event(log_model.FAQ_VIEW, tapped, 30, faq_id="F2", detail={"source": "candidate"}),
        asked_again(again, 90),
        event(log_model.FAQ_VIEW, silent, 30, faq_id="F1", detail={"source": "answer"}),
    ]
    judged = judge_answers(records, until=LATER)
    assert judged == Judged(
        answers=5, helpful=1, unhelpful=1, acted=2, helpful_acted=1, unhelpful_acted=0
    )


def test_a_follow_up_after_two_minutes_is_a_new_question_and_recent_answers_wait():
    first = answer(0)
    assert judge_answers([first, asked_again(first, 180)], until=LATER).acted == 0
    # An answer whose two minutes are not over yet is not judged tonight.
    assert judge_answers([first], until=first.at + timedelta(seconds=30)).answers == 0


def test_rating_a_candidate_says_nothing_about_the_answer():
    search = answer(0)
    rated = event(log_model.FEEDBACK, search, 60, faq_id="F2", helpful=True)
    tapped = event(log_model.FAQ_VIEW, search, 30, faq_id="F2", detail={"source": "candidate"})
    judged = judge_answers([search, tapped, rated], until=LATER)
    assert judged.helpful == 0 and judged.acted == 1


def judged_at(precision: float, answers: int = 1000) -> Judged:
    """Answers with this share right, as residents who act exactly at the prior rates."""
    wrong = round(answers * (1 - precision))
    acted = round(0.15 * (answers - wrong) + 0.60 * wrong)
    return Judged(answers=answers, acted=acted)


@pytest.mark.parametrize("precision", [0.70, 0.80, 0.88, 0.95])
def test_the_estimate_recovers_the_share_of_right_answers(precision):
    assert judged_at(precision).estimate == pytest.approx(precision, abs=0.002)


def test_ratings_teach_the_estimate_how_this_city_acts():
    # Here every resident acts after a wrong answer and none after a right one: 200 of 1,000
    # unrated answers acted on are 200 wrong ones, whatever the prior assumed.
    learned = Judged(
        answers=1200,
        helpful=100,
        unhelpful=100,
        acted=200,
        helpful_acted=0,
        unhelpful_acted=100,
    )
    assert learned.estimate == pytest.approx(1 - (100 + 200 * 1.0 / 1.0) / 1200, abs=0.03)
    assert Judged().estimate is None


SETTINGS = BotSettings()
NIGHT = "2026-04-02T03:00:00Z"


def calibrate(previous, judged, settings=SETTINGS):
    return next_calibration(previous, judged, settings, NIGHT, MEASURED)


def test_too_few_answers_keep_the_threshold():
    tonight = calibrate(None, judged_at(0.5, answers=MIN_JUDGED - 1))
    assert tonight.status == "collecting" and tonight.threshold == 0.7


def test_one_step_a_night_toward_the_target():
    far_below = calibrate(None, judged_at(0.70))
    assert far_below.status == "raised" and far_below.threshold == pytest.approx(0.7 + STEP)
    assert far_below.since == NIGHT  # answers are judged again from tonight
    near_below = calibrate(None, judged_at(0.85))
    assert near_below.threshold == pytest.approx(0.7 + SMALL_STEP)
    above = calibrate(None, judged_at(0.97))
    assert above.status == "lowered" and above.threshold == pytest.approx(0.7 - STEP)
    on_target = calibrate(None, judged_at(0.88))
    assert on_target.status == "held" and on_target.threshold == 0.7


def test_the_threshold_stays_within_bounds():
    low, _ = bounds(0.88, MEASURED)
    at_low = Calibration(low, 0.88, status="lowered", since="2026-03-01T00:00:00Z")
    tonight = calibrate(at_low, judged_at(0.99))
    assert tonight.status == "at_bound" and tonight.threshold == low
    assert tonight.since == at_low.since


def test_a_fixed_threshold_turns_calibration_off_but_still_reports_the_estimate():
    tonight = calibrate(None, judged_at(0.70), BotSettings(answer_threshold=0.4))
    assert tonight.status == "fixed" and tonight.threshold == 0.4
    assert tonight.estimate == pytest.approx(0.70, abs=0.002)


def test_another_certainty_starts_again_from_its_measured_threshold():
    careful = BotSettings(answer_certainty="慎重")
    previous = Calibration(0.9, 0.88, status="raised", since="2026-03-01T00:00:00Z")
    tonight = calibrate(previous, judged_at(0.93, answers=10), careful)
    assert (tonight.threshold, tonight.target) == (0.8, 0.93)
    assert tonight.since == NIGHT
    assert window_start(previous, careful, LATER) == LATER - timedelta(days=28)
    assert window_start(previous, SETTINGS, LATER) == LATER - timedelta(days=28)
    recent = Calibration(0.9, 0.88, status="raised", since="2026-04-01T12:00:00Z")
    assert window_start(recent, SETTINGS, LATER) == datetime(2026, 4, 1, 12, tzinfo=UTC)
