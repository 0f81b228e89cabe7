"""Self-calibration: how often the bot's answers were right, judged by what residents did next,
and the answer threshold moved a step toward 回答の確かさ's target precision.

Every city's FAQ and residents differ from the dev sets the threshold was measured on. Each night
the answers given since the threshold last changed are judged from the search log. What a
resident said is taken at its word: 役に立った for the answer, 役に立たなかった against it. What
they did is evidence that needs reading: tapping another FAQ shown with it, or asking again
within AGAIN_WITHIN, follows most wrong answers but also some right ones (a follow-up question),
and some residents leave silently after a wrong one. How often each happens is learned from the
same night's answers that residents rated (with a prior while they are few), and the share of
wrong answers among the unrated ones follows from how often they were followed by such an action
(`Judged.estimate`).

Once MIN_JUDGED answers are judged, the threshold moves one step up when the estimate is below
the target by more than its sampling error, one step down when above it by as much, within
answer_policy.bounds; then judging starts again from that night. A fixed 回答しきい値 stops it.
scripts/bench_calibration.py simulates a city and prints the estimate against the truth.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from madoguchi.model import BotSettings
from madoguchi.search.answer_policy import (
    FAR,
    SMALL_STEP,
    STEP,
    Calibration,
    answer_threshold,
    bounds,
    target_precision,
)
from madoguchi.search.confidence import PRECISION_THRESHOLDS
from madoguchi.searchlog import model as log_model

AGAIN_WITHIN = timedelta(minutes=2)
MIN_JUDGED = 300
MIN_MARGIN = 0.01  # below this difference from the target, the threshold stays
WINDOW_DAYS = 28


# What residents do after a right / a wrong answer before many of them rated any (prior counts
# of PRIOR_WEIGHT answers): act (tap another FAQ, ask again) after a right one now and then, after
# most wrong ones.
ACTS_AFTER_RIGHT = 0.15
ACTS_AFTER_WRONG = 0.60
PRIOR_WEIGHT = 20


@dataclass(frozen=True)
class Judged:
    """Answers of a period and what residents said and did after them."""

    answers: int = 0  # answered searches whose follow-up window is over
    helpful: int = 0  # rated 役に立った
    unhelpful: int = 0  # rated 役に立たなかった
    acted: int = 0  # unrated, followed by another FAQ tapped or the question asked again
    helpful_acted: int = 0  # rated 役に立った and followed by such an action all the same
    unhelpful_acted: int = 0  # rated 役に立たなかった and followed by one

    @property
    def estimate(self) -> float | None:
        """Estimated share of right answers (None without answers).

        Rated answers count as rated. For the unrated ones, the share acted on mixes the
        rate after right answers and the rate after wrong ones (each learned from the rated
        answers, pulled toward the prior while they are few): solved for the share of wrong.
        """
        if not self.answers:
            return None
        after_right = (self.helpful_acted + ACTS_AFTER_RIGHT * PRIOR_WEIGHT) / (
            self.helpful + PRIOR_WEIGHT
        )
        after_wrong = (self.unhelpful_acted + ACTS_AFTER_WRONG * PRIOR_WEIGHT) / (
            self.unhelpful + PRIOR_WEIGHT
        )
        unrated = self.answers - self.helpful - self.unhelpful
        wrong = float(self.unhelpful)
        if unrated and after_wrong > after_right:
            share = (self.acted / unrated - after_right) / (after_wrong - after_right)
            wrong += unrated * min(1.0, max(0.0, share))
        return 1 - wrong / self.answers


def judge_answers(records: Iterable[log_model.LogRecord], until: datetime) -> Judged:
    """Judge every answered search in `records` whose AGAIN_WITHIN window ended before `until`."""
    searches: dict[str, log_model.LogRecord] = {}
    by_user: dict[str, list[datetime]] = defaultdict(list)
    feedback: dict[str, list[bool]] = defaultdict(list)
    other_taps: set[str] = set()
    events = []
    for record in records:
        if record.kind == log_model.SEARCH:
            searches[record.id] = record
            by_user[record.user_ref].append(record.at)
        elif record.kind in (log_model.FEEDBACK, log_model.FAQ_VIEW) and record.search_id:
            events.append(record)
    for event in events:
        search = searches.get(event.search_id)
        if search is None or not search.answered:
            continue
        if event.kind == log_model.FEEDBACK and event.faq_id in ("", search.top_id):
            if event.helpful is not None:
                feedback[search.id].append(bool(event.helpful))
        elif event.kind == log_model.FAQ_VIEW and event.faq_id != search.top_id:
            other_taps.add(search.id)
    for times in by_user.values():
        times.sort()
    counts = dict.fromkeys(
        ("answers", "helpful", "unhelpful", "acted", "helpful_acted", "unhelpful_acted"), 0
    )
    for search in searches.values():
        if not search.answered or not search.top or search.at + AGAIN_WITHIN > until:
            continue
        counts["answers"] += 1
        tapped_other = search.id in other_taps or any(f != search.top_id for f in search.opened)
        acted = tapped_other or _asked_again(by_user[search.user_ref], search.at)
        said = feedback.get(search.id, [])
        if said:
            rating = "helpful" if said[-1] else "unhelpful"  # the last word counts
            counts[rating] += 1
            counts[f"{rating}_acted"] += acted
        else:
            counts["acted"] += acted
    return Judged(**counts)


def window_start(
    previous: Calibration | None, settings: BotSettings, now: datetime, days: int = WINDOW_DAYS
) -> datetime:
    """The first moment whose answers tonight judges: the last change of the threshold (for the
    same 回答の確かさ), at most `days` back (a city's questions drift)."""
    start = now - timedelta(days=max(1, days))
    if (
        previous is not None
        and previous.status != "fixed"
        and previous.since
        and previous.target == target_precision(settings.answer_certainty)
    ):
        start = max(start, datetime.fromisoformat(previous.since.replace("Z", "+00:00")))
    return start


def _asked_again(times: list[datetime], at: datetime) -> bool:
    return any(at < t <= at + AGAIN_WITHIN for t in times)


def next_calibration(
    previous: Calibration | None,
    judged: Judged,
    settings: BotSettings,
    now: str,
    measured: Mapping[float, float] = PRECISION_THRESHOLDS,
) -> Calibration:
    """Tonight's calibration: a step toward the target when enough answers were judged
    (`measured`: the dev sets' target -> threshold table the bounds are around)."""
    target = target_precision(settings.answer_certainty)
    estimate = None if judged.estimate is None else round(judged.estimate, 4)
    if settings.answer_threshold is not None:
        fixed = float(settings.answer_threshold)
        return Calibration(fixed, target, estimate, judged.answers, "fixed", now, now)
    same = previous is not None and previous.status != "fixed" and previous.target == target
    current = answer_threshold(
        None, settings.answer_certainty, previous if same else None, measured
    )
    since = previous.since if same and previous is not None and previous.since else now
    if judged.estimate is None or judged.answers < MIN_JUDGED:
        return Calibration(current, target, estimate, judged.answers, "collecting", since, now)
    error = math.sqrt(max(judged.estimate * (1 - judged.estimate), 0.01) / judged.answers)
    margin = max(error, MIN_MARGIN)
    low, high = bounds(target, measured)
    threshold, status = current, "held"
    step = STEP if abs(judged.estimate - target) > FAR else SMALL_STEP
    if judged.estimate < target - margin:
        threshold, status = min(high, round(current + step, 3)), "raised"
    elif judged.estimate > target + margin:
        threshold, status = max(low, round(current - step, 3)), "lowered"
    if status != "held" and threshold == current:
        status = "at_bound"  # it would move, but the bounds keep it
    # After a step, answers are judged again from tonight: they were given at another threshold.
    moved = status in ("raised", "lowered")
    return Calibration(
        threshold, target, estimate, judged.answers, status, now if moved else since, now
    )
