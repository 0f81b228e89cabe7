"""A resident in danger who writes in another language is recognised (crisis/foreign_rules.py),
and ordinary questions in those languages, and Japanese ones, are not taken for danger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from madoguchi.crisis import CrisisKind, detect
from madoguchi.crisis.foreign_rules import foreign_kinds

DATA = Path(__file__).resolve().parents[1] / "data"
K = CrisisKind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I want to die", K.SUICIDE),
        ("i wanna kill myself tonight", K.SUICIDE),
        ("I don't want to live anymore", K.SUICIDE),
        ("Help!", K.DANGER),
        ("someone is breaking in, he is going to kill me", K.DANGER),
        ("My husband hits me every day", K.DV),
        ("Tôi muốn chết", K.SUICIDE),
        ("toi muon chet", K.SUICIDE),
        ("Cứu tôi với", K.DANGER),
        ("我想死", K.SUICIDE),
        ("老公打我", K.DV),
        ("죽고 싶어요", K.SUICIDE),
        ("살려 주세요", K.DANGER),
        ("Quero morrer", K.SUICIDE),
        ("Socorro! Ele vai me matar", K.DANGER),
        ("Quiero morir", K.SUICIDE),
        ("Mi esposo me golpea", K.DV),
        ("Gusto ko nang mamatay", K.SUICIDE),
        ("Saya ingin bunuh diri", K.SUICIDE),
        ("म मर्न मन लाग्छ", K.SUICIDE),
    ],
)
def test_distress_in_another_language_is_read(text, kind):
    assert kind in detect(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can you help me find the garbage collection schedule?",
        "What should I do when a family member dies?",
        "Tolong jelaskan cara membuang sampah",  # tolong: please
        "Kailangan ko ng tulong sa buwis",  # tulong: help with taxes
        "Từ từ thôi",  # "slowly", which reads tu tu without accents
        "Onde fica o pronto-socorro?",
        "Como pedir o auxílio para crianças?",
        "AEDの場所と救命講習について",
    ],
)
def test_everyday_requests_are_not_taken_for_danger(text):
    assert detect(text) == ()


def test_no_search_question_in_another_language_fires_but_the_one_about_dv():
    fired = []
    for name in ("multilingual_dev.jsonl", "multilingual_holdout.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            query = json.loads(line)["query"]
            if detect(query):
                fired.append(query)
    assert fired == ["Where can I talk to someone about domestic violence?"]


@pytest.mark.parametrize(
    "name", ["hard_dev.jsonl", "blind_questions_judged.jsonl", "crisis_dev.jsonl"]
)
def test_japanese_messages_are_left_to_the_japanese_rules(name):
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert foreign_kinds(row.get("text") or row["query"]) == set(), row
