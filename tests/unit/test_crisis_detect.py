"""The crisis rules: how people really write in distress, and what must not fire."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from madoguchi.conversation.message_kind import MessageKind, read_message
from madoguchi.crisis import CrisisKind, detect, looks_like_crisis
from madoguchi.crisis.detect import folded_phrase

DATA = Path(__file__).resolve().parents[1] / "data"
K = CrisisKind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("しにたい", K.SUICIDE),
        ("シニタイ", K.SUICIDE),  # katakana
        ("ｼﾆﾀｲ", K.SUICIDE),  # half-width kana
        ("し に た い 😢", K.SUICIDE),  # spaces and emoji
        ("しにたぃ", K.SUICIDE),  # a small kana typed for a large one
        ("氏にたい", K.SUICIDE),  # a conversion slip
        ("消えたい", K.SUICIDE),
        ("人生終わりにしたい", K.SUICIDE),
        ("もう限界", K.SUICIDE),
        ("生きる意味がない", K.SUICIDE),
        ("住民票の取り方を聞こうと思ったけど正直もう死にたい", K.SUICIDE),  # inside a longer one
        ("夫に殴られる", K.DV),
        ("ＤＶされてる", K.DV),
        ("親に叩かれる", K.CHILD_ABUSE),
        ("子どもを叩いてしまう", K.CHILD_ABUSE),  # the fear of abusing
        ("学校でいじめられてる", K.BULLYING),
        ("元彼につきまとわれて怖い", K.STALKING),
        ("閉じ込められています", K.STALKING),
        ("今夜寝る場所がない", K.BASIC_NEEDS),
        ("何日も食べてない", K.BASIC_NEEDS),
        ("たすけて！！", K.DANGER),
        ("包丁を持って暴れている", K.DANGER),
    ],
)
def test_distress_is_recognised_however_it_is_written(text, kind):
    assert kind in detect(text)


@pytest.mark.parametrize(
    "text",
    [
        "死亡届の出し方",
        "家族が亡くなったときの手続き",
        "母が死んだので相続の手続きを知りたい",
        "火葬の予約方法",
        "殺虫剤はどのごみに出しますか",
        "死ぬほど暑いけどクーラーの補助ある？",
        "笑い死にしそうw",
        "自殺予防の講演会はいつですか",
        "いじめ防止基本方針はどこで見られますか",
        "ストーカー規制法の説明会",
        "水道の使用を終わりにしたい",
        "消えたポイントの確認",
        "もう限界まで待ったのに書類が届かない",
        "限界集落の支援",
        "子育てを助けてくれる制度",
        "市にたいして要望があります",  # し＋にたい inside ordinary words
        "楽しんだほうがいい",
        "わたしのうちの前のごみ",
        "国民健康保険の給付は受けられますか",  # 受けられ is not 蹴られ
    ],
)
def test_procedures_idioms_and_topics_do_not_fire(text):
    assert detect(text) == ()


def test_several_kinds_come_most_urgent_first():
    assert detect("夫が包丁を持ってる、殴られた") == (K.DANGER, K.DV)
    assert detect("いじめで死にたい") == (K.SUICIDE, K.BULLYING)


def test_the_folded_phrase_is_the_shared_normalisers_output():
    assert folded_phrase("ＤＶ！ ｼﾆﾀｲ…") == "dvしにたい"


def test_empty_or_missing_text_is_ordinary():
    assert detect("") == () and detect(None) == () and not looks_like_crisis("　")


def test_crisis_is_read_first_whatever_the_mode():
    for with_staff in (False, True):
        for can_hand_over in (False, True):
            reading = read_message("しにたい", with_staff=with_staff, can_hand_over=can_hand_over)
            assert reading.kind is MessageKind.CRISIS
            assert reading.crisis == (K.SUICIDE,)
    # Even words that would otherwise ask for staff or go back to the bot.
    assert read_message(
        "職員と話したい、もう死にたい", with_staff=False, can_hand_over=True
    ).kind is (MessageKind.CRISIS)


def test_the_dev_set_meets_its_targets():
    """The same figures scripts/evaluate_crisis.py prints for the dev set."""
    rows = [json.loads(line) for line in (DATA / "crisis_dev.jsonl").read_text().splitlines()]
    distress = [r for r in rows if r["kind"]]
    near = [r for r in rows if not r["kind"]]
    assert len(distress) >= 100 and len(near) >= 100
    assert {r["kind"] for r in distress} == {k.value for k in CrisisKind}
    recall = sum(bool(detect(r["text"])) for r in distress) / len(distress)
    false_positives = sum(bool(detect(r["text"])) for r in near) / len(near)
    assert recall >= 0.97
    assert false_positives <= 0.03
