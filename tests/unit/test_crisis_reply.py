"""The crisis reply as LINE receives it: warm words, tel: buttons within LINE's limits, staff."""

from __future__ import annotations

from datetime import datetime

import pytest

from madoguchi.clock import JST
from madoguchi.conversation.crisis_reply import (
    LINES_TITLE,
    OPENINGS,
    crisis_messages,
    lines_message,
)
from madoguchi.crisis import CrisisKind
from madoguchi.crisis.lines import (
    CHECKED_ON,
    DEFAULT_LINES,
    MAX_LINES,
    call_label,
    lines_for,
    phone_problem,
    tel_uri,
)
from madoguchi.crisis.notification import CrisisNotice, crisis_body, crisis_subject
from madoguchi.line import messages, postback
from madoguchi.model import ConsultationLine

K = CrisisKind
MONDAY = datetime(2026, 12, 7, 8, 30, tzinfo=JST)


def test_defaults_say_when_they_were_checked():
    assert CHECKED_ON == "2026-12-07"
    phones = {line.phone for line in DEFAULT_LINES}
    assert phones >= {
        "0120-279-338", "0570-783-556", "0120-783-556", "0570-064-556", "0120-061-338",
        "#8008", "0120-279-889", "189", "0120-0-78310", "110", "119",
    }  # fmt: skip


@pytest.mark.parametrize("line", DEFAULT_LINES, ids=lambda line: line.phone)
def test_every_default_line_is_dialable_from_a_button_within_line_limits(line):
    assert phone_problem(line.phone) is None
    assert len(call_label(line.phone)) <= messages.MAX_LABEL_LENGTH
    uri = tel_uri(line.phone)
    assert uri.startswith("tel:") and "-" not in uri and "#" not in uri
    assert any(line in lines_for([kind]) for kind in CrisisKind)  # every line is shown somewhere


def test_the_hash_of_dv_navi_is_percent_encoded():
    assert tel_uri("#8008") == "tel:%238008"
    assert tel_uri("０１２０－２７９－３３８") == "tel:0120279338"  # full-width as typed


@pytest.mark.parametrize(
    ("kinds", "first"),
    [
        ([K.DANGER], ["110", "119"]),
        ([K.DANGER, K.DV], ["110", "119", "0120-279-338", "0120-279-889"]),
        ([K.SUICIDE], ["0120-279-338", "0120-783-556", "0570-783-556"]),  # 24 hours first
        ([K.DV], ["110", "0120-279-889", "#8008"]),
        ([K.CHILD_ABUSE], ["189", "0120-0-78310"]),
        ([K.BULLYING], ["0120-0-78310", "0120-279-338"]),
        ([K.STALKING], ["110", "0120-279-889"]),
        ([K.BASIC_NEEDS], ["0120-279-338"]),
    ],
)
def test_each_kind_gets_its_lines_most_fitting_first(kinds, first):
    lines = lines_for(kinds)
    assert [line.phone for line in lines[: len(first)]] == first
    assert 1 <= len(lines) <= MAX_LINES
    assert len({line.phone for line in lines}) == len(lines)


def test_a_city_line_comes_first_and_replaces_a_default_of_the_same_number():
    own = ConsultationLine(("basic_needs",), "市の生活相談窓口", "0120-111-222", "平日9時〜17時")
    everything = tuple(kind.value for kind in CrisisKind)
    moved = ConsultationLine(everything, "よりそいホットライン", "0120-279-338", "24時間(市の案内)")
    lines = lines_for([K.BASIC_NEEDS], [own, moved])
    assert [line.name for line in lines] == ["市の生活相談窓口", "よりそいホットライン"]
    assert lines[1].hours == "24時間(市の案内)"  # the city's row, not the default
    # The row's 種類 are the line's kinds now: a narrower row takes the default away elsewhere.
    narrowed = ConsultationLine(("suicide",), "よりそいホットライン", "0120-279-338", "24時間")
    assert [line.name for line in lines_for([K.BASIC_NEEDS], [own, narrowed])] == [own.name]


def test_the_lines_bubble_has_a_tel_button_per_line_and_a_meaningful_alt_text():
    lines = lines_for([K.SUICIDE])
    flex = lines_message(lines).to_dict()
    boxes = [c for c in flex["contents"]["body"]["contents"] if c["type"] == "box"]
    buttons = [c for box in boxes for c in box["contents"] if c["type"] == "button"]
    uris = [b["action"]["uri"] for b in buttons]
    assert uris == [tel_uri(line.phone) for line in lines]
    assert all(len(b["action"]["label"]) <= messages.MAX_LABEL_LENGTH for b in buttons)
    alt = flex["altText"]
    assert alt.startswith(LINES_TITLE) and len(alt) <= messages.MAX_ALT_TEXT_LENGTH
    assert all(line.phone in alt for line in lines)  # a screen reader hears every number


def test_a_city_page_adds_a_link_button():
    line = ConsultationLine(
        ("dv",), "市の女性相談", "0120-111-222", "平日", "https://example.jp/dv"
    )
    flex = lines_message([line]).to_dict()
    (box,) = [c for c in flex["contents"]["body"]["contents"] if c["type"] == "box"]
    assert [b["action"]["uri"] for b in box["contents"] if b["type"] == "button"] == [
        "tel:0120111222",
        "https://example.jp/dv",
    ]


def test_in_office_hours_the_reply_offers_staff_marked_as_a_crisis():
    sent = crisis_messages([K.SUICIDE], (), "星見ヶ丘市", in_hours=True, next_opening=None)
    assert len(sent) == 3 <= messages.MAX_MESSAGES
    assert sent[0].text == OPENINGS[K.SUICIDE]
    assert "見つかりませんでした" not in sent[0].text
    (item,) = sent[2].quick_reply.items
    assert postback.decode(item.action.data) == postback.AskStaff(postback.Source.CRISIS)


def test_out_of_hours_the_reply_says_when_staff_are_back():
    sent = crisis_messages([K.DV], (), "星見ヶ丘市", in_hours=False, next_opening=MONDAY)
    assert "12月7日（月）8:30" in sent[2].text
    assert "上の窓口に電話" in sent[2].text


def test_with_staff_the_reply_says_staff_have_it():
    sent = crisis_messages(
        [K.DV], (), "星見ヶ丘市", in_hours=True, next_opening=None, with_staff=True
    )
    assert "職員にもつながっています" in sent[2].text
    assert sent[2].quick_reply is None


def test_the_staff_mail_is_urgent_and_never_holds_the_words():
    notice = CrisisNotice(
        "abcd1234abcd1234", MONDAY, (K.SUICIDE, K.BULLYING), True, None, False, "星見ヶ丘市"
    )
    subject, body = crisis_subject(notice), crisis_body(notice)
    assert subject.startswith("【至急】")
    assert "abcd1234abcd1234" in body and "12月7日（月）8:30" in body
    assert "LINE Official Account Manager" in body and "チャット" in body
    assert "自殺・自傷、いじめ" in body
    assert "1時間に1通" in body
