"""A resident in danger through the Lambda handler: the consultation lines first in any mode,
staff told once an hour, the log and the report keep the kinds and never the words."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import openpyxl
import pytest

from madoguchi.clock import JST
from madoguchi.conversation.crisis_reply import OPENINGS
from madoguchi.crisis import CrisisKind
from madoguchi.crisis.lines import DEFAULT_LINES, tel_uri
from madoguchi.line import postback
from madoguchi.searchlog import CRISIS, HANDOVER, SEARCH, user_ref
from madoguchi.staff_report import build_report
from tests.integration.test_handler_metrics import emitted
from tests.support import line_events as ev
from tests.support.conversation_stack import (
    SALT,
    handover_stack,
    log_records,
    mails,
    quick,
    say,
    settings_rows,
    tap,
)

ME = user_ref(ev.TEST_USER_ID, SALT)
K = CrisisKind
OFFICE = "月-金 9:00-17:00"
SUNDAY_NIGHT = datetime(2026, 11, 29, 23, 30, tzinfo=JST)
CITY_LINES = [
    ["種類", "名前", "電話", "受付時間", "URL"],
    ["食事・住まい", "星見ヶ丘市 くらし相談", "0120-111-222", "平日8時30分〜17時15分", None],
    ["すべて", "よりそいホットライン", "0120-279-338", "24時間・無料(市の案内)", None],
]


@pytest.fixture
def stack():
    with handover_stack(settings_rows(OFFICE)) as stack:
        yield stack


def tel_buttons(flex: dict) -> list[str]:
    """The numbers the lines bubble dials, in order."""
    boxes = [c for c in flex["contents"]["body"]["contents"] if c["type"] == "box"]
    return [
        b["action"]["uri"]
        for box in boxes
        for b in box["contents"]
        if b["type"] == "button" and b["action"]["uri"].startswith("tel:")
    ]


@pytest.mark.parametrize(
    ("text", "kind", "first"),
    [
        ("しにたい", K.SUICIDE, ["0120-279-338", "0120-783-556", "0570-783-556"]),
        ("夫に殴られています", K.DV, ["110", "0120-279-889", "#8008"]),
        ("親にたたかれる", K.CHILD_ABUSE, ["189", "0120-0-78310"]),
        ("学校でいじめられてる", K.BULLYING, ["0120-0-78310", "0120-279-338"]),
        ("元彼につきまとわれてこわい", K.STALKING, ["110", "0120-279-889"]),
        ("今夜泊まるところがない", K.BASIC_NEEDS, ["0120-279-338"]),
        ("たすけて 包丁を持った人がいる", K.DANGER, ["110", "119"]),
    ],
)
def test_each_kind_gets_its_lines_as_call_buttons_and_no_search(stack, text, kind, first):
    opening, lines, staff = say(stack, text)
    assert opening["text"] == OPENINGS[kind]
    assert "見つかりませんでした" not in json.dumps([opening, staff], ensure_ascii=False)
    assert lines["type"] == "flex" and "いま電話で話せる窓口" in lines["altText"]
    assert tel_buttons(lines)[: len(first)] == [tel_uri(p) for p in first]
    assert quick(staff) == [postback.AskStaff(postback.Source.CRISIS)]  # in office hours
    assert log_records(stack, SEARCH) == []  # not searched, not a question in the report
    (record,) = log_records(stack, CRISIS)
    assert record.query == "" and record.detail["kinds"][0] == kind.value
    assert text not in stack.log.getvalue()  # the words never reach the application logs


def test_every_default_line_is_given_for_some_kind(stack):
    dialled: set[str] = set()
    for text in ("しにたい", "夫に殴られる", "親に叩かれる", "いじめられてる", "ストーカーされてる",
                 "家がない", "たすけて"):  # fmt: skip
        dialled.update(tel_buttons(say(stack, text)[1]))
    assert dialled == {tel_uri(line.phone) for line in DEFAULT_LINES}


def test_a_citys_own_lines_come_first_and_replace_a_default():
    with handover_stack(settings_rows(OFFICE), sheets={"相談窓口": CITY_LINES}) as stack:
        _, lines, _ = say(stack, "お金がなくて今日寝る場所がない")
        assert tel_buttons(lines) == ["tel:0120111222", "tel:0120279338"]
        assert "24時間・無料(市の案内)" in json.dumps(lines, ensure_ascii=False)
        # The other kinds keep the national lines, with the city's wording of the one it moved.
        _, lines, _ = say(stack, "しにたい")
        assert tel_buttons(lines)[:2] == ["tel:0120279338", "tel:0120783556"]
        assert "24時間・無料(市の案内)" in json.dumps(lines, ensure_ascii=False)


def test_staff_get_one_urgent_mail_an_hour_without_the_words(stack):
    say(stack, "もう死にたい")
    say(stack, "消えたい")
    (mail,) = mails(stack)
    assert mail["Subject"].startswith("【至急】")
    assert ME in mail["Message"] and "LINE Official Account Manager" in mail["Message"]
    assert "死にたい" not in mail["Message"] and "消えたい" not in mail["Message"]
    assert ev.TEST_USER_ID not in json.dumps(mail, ensure_ascii=False)
    stack.clock.advance(3600)
    say(stack, "しにたい")
    (later,) = mails(stack)
    assert later["Subject"].startswith("【至急】")
    assert len(log_records(stack, CRISIS)) == 3  # every message is counted, mail or not


def test_talking_to_staff_from_the_reply_is_an_urgent_hand_over(stack):
    say(stack, "しにたい")
    mails(stack)  # the crisis mail
    (handed,) = tap(stack, postback.AskStaff(postback.Source.CRISIS))
    assert handed["text"].startswith("職員におつなぎします。")
    (mail,) = mails(stack)
    assert mail["Subject"].startswith("【至急】") and "職員への相談" in mail["Subject"]
    assert "しにたい" not in mail["Message"]  # not among the resident's recent questions
    (record,) = log_records(stack, HANDOVER)
    assert record.detail["source"] == "crisis"


def test_during_a_hand_over_the_lines_still_come_first_and_the_hand_over_goes_on(stack):
    say(stack, "職員と話したい")
    mails(stack)
    opening, lines, staff = say(stack, "夫に殴られてもう限界")
    assert opening["text"] == OPENINGS[K.SUICIDE]
    assert tel_buttons(lines)
    assert "職員にもつながっています" in staff["text"] and "quickReply" not in staff
    assert mails(stack)[0]["Subject"].startswith("【至急】")
    # Still with staff: the next words go to them (acknowledged once), not to the search.
    (received,) = say(stack, "住民票の写しの取り方")
    assert "受け付けました" in received["text"]
    assert log_records(stack, SEARCH) == []


def test_out_of_hours_the_reply_says_when_staff_are_back(stack):
    stack.clock.set(SUNDAY_NIGHT)
    _, _, staff = say(stack, "しにたい")
    assert "受付時間外" in staff["text"] and "11月30日（月）9:00" in staff["text"]
    assert "上の窓口に電話" in staff["text"]
    (mail,) = mails(stack)
    assert "受付時間外" in mail["Message"] and "11月30日（月）9:00" in mail["Message"]
    (record,) = log_records(stack, CRISIS)
    assert record.detail["in_hours"] is False


def test_near_misses_are_searched_as_usual(stack):
    for text in ("死亡届の出し方", "殺虫剤の捨て方", "死ぬほど暑い日の熱中症対策"):
        sent = say(stack, text)
        assert "いま電話で話せる窓口" not in json.dumps(sent, ensure_ascii=False)
    assert log_records(stack, CRISIS) == [] and mails(stack) == []
    assert len(log_records(stack, SEARCH)) == 3


def test_the_webhook_counts_crisis_replies(stack, capsys):
    capsys.readouterr()
    say(stack, "しにたい")
    metrics, _ = emitted(capsys)
    assert metrics["CrisisReplies"] == 1
    say(stack, "粗大ごみの出し方")
    metrics, _ = emitted(capsys)
    assert "CrisisReplies" not in metrics


def test_the_report_counts_them_by_week_and_kind_and_never_lists_them(stack):
    say(stack, "しにたい")
    say(stack, "夫に殴られる")
    say(stack, "火星の天気")  # an ordinary unanswered question
    today = stack.clock.japan_today()
    data = build_report(
        log_records(stack), None, today - timedelta(days=6), today, generated_at=stack.clock.utc()
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["相談窓口の案内"]
    header = [c.value for c in sheet[4]]
    (week,) = [
        dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=5, values_only=True)
    ]
    assert week["件数"] == 2 and week["人数"] == 1
    assert week["自殺・自傷"] == 1 and week["DV"] == 1
    for each in book.worksheets:
        text = json.dumps(
            [list(r) for r in each.iter_rows(values_only=True)], ensure_ascii=False, default=str
        )
        assert "しにたい" not in text and "殴られる" not in text
    unanswered = [r[2] for r in book["答えられなかった質問"].iter_rows(min_row=2, values_only=True)]
    assert unanswered == ["火星の天気"]


def test_a_procedure_asked_in_the_same_message_is_answered_below_the_lines(stack):
    """Bullying, DV, housing: the city's procedure may be what was asked too; it comes after."""
    # The search must be sure of the procedure (a target precision of answers, 0.88): with 学校で
    # too, half the message's words are not the FAQ's and it would offer choices, so none comes.
    sent = say(stack, "粗大ごみの出し方を知りたい。いじめられてる")
    assert len(sent) == 4
    assert sent[0]["text"] == OPENINGS[K.BULLYING]
    assert sent[3]["text"].startswith("■ 粗大ごみの出し方")
    assert log_records(stack, SEARCH) == []  # answered, but neither logged nor learned from


def test_no_answer_is_added_to_thoughts_of_suicide_or_immediate_danger(stack):
    assert len(say(stack, "死にたい 粗大ごみの出し方")) == 3
    assert len(say(stack, "たすけて 粗大ごみの出し方")) == 3
