""" "I no longer need staff" during a hand-over, judged on the dev list through the one decision
step (scripts/handover_done.py prints the same figures)."""

from __future__ import annotations

import pytest

from madoguchi.conversation.message_kind import MessageKind, read_message
from scripts.handover_done import DEV_LIST, judge, main, read_rows


@pytest.fixture(scope="module")
def rows():
    return read_rows(DEV_LIST)


def test_the_dev_list_has_fifty_of_each(rows):
    assert sum(1 for r in rows if r["done"]) >= 50
    assert sum(1 for r in rows if not r["done"]) >= 50
    assert len({r["text"] for r in rows}) == len(rows)


def test_ways_of_saying_done_end_the_hand_over_and_the_rest_stays_with_staff(rows):
    judged = judge(rows)
    assert judged.recognised >= 0.95 * judged.done, judged.missed
    assert judged.wrongly_ended == []


@pytest.mark.parametrize(
    "text",
    [
        "もういいです",
        "解決しました",
        "戻ってください",
        "やっぱりいいです",
        "ありがとう、もう大丈夫です",
    ],
)
def test_the_reported_phrases_end_the_hand_over(text):
    assert read_message(text, with_staff=True, can_hand_over=True).kind is MessageKind.BACK_TO_BOT


@pytest.mark.parametrize("text", ["もういいです", "解決しました", "ありがとうございました"])
def test_without_staff_the_same_words_are_not_a_way_back(text):
    assert (
        read_message(text, with_staff=False, can_hand_over=True).kind is not MessageKind.BACK_TO_BOT
    )


def test_the_script_prints_both_figures(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    judged = judge(read_rows(DEV_LIST))
    assert f"{judged.recognised}/{judged.done} recognised" in out
    assert f"{len(judged.wrongly_ended)}/{judged.stay} wrongly ended" in out
