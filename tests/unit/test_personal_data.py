"""The personal-data filter on its dev set, what learning does with a hit, and the masking
reports and mails use."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from madoguchi.learning import has_personal_data, mine
from madoguchi.learning.personal import MASK, mask_personal
from madoguchi.searchlog import new_search
from madoguchi.staff_report import build_report
from tests.support.learning_log import tap, user

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "personal_data.jsonl"
EXAMPLES = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
FORMS = [e for e in EXAMPLES if e["personal"]]
ALIKES = [e["text"] for e in EXAMPLES if not e["personal"]]
T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
TOP = ["77", "78", "79", "90"]


def test_the_dev_set_is_big_enough_and_covers_every_kind():
    assert len(FORMS) >= 80 and len(ALIKES) >= 80
    kinds = {e["kind"] for e in FORMS}
    assert kinds >= {"phone", "my_number", "card_account", "postal", "address", "name"}
    assert kinds >= {"birth_date", "email"}


def test_no_form_of_personal_data_gets_through_where_learning_runs():
    through = [e["text"] for e in FORMS if not has_personal_data(e["text"])]
    assert through == []


def test_harmless_look_alikes_are_still_learned():
    lost = [text for text in ALIKES if has_personal_data(text)]
    assert len(lost) <= 0.05 * len(ALIKES), lost
    for text in ("住民票の写し 2 通", "令和7年度の住民税", "児童手当 3人目", "10月15日のごみ収集"):
        assert not has_personal_data(text), text


def test_without_the_dictionary_only_unknown_names_in_katakana_slip_through():
    through = [e for e in FORMS if not has_personal_data(e["text"], dictionary=False)]
    assert {e["kind"] for e in through} <= {"name"} and len(through) <= 2, through


@pytest.mark.parametrize(
    "text, masked",
    [
        ("090-1234-5678に電話ください", f"{MASK}に電話ください"),
        ("〇九〇の一二三四の五六七八です", f"{MASK}です"),
        ("本町1-2-3のごみ", f"本{MASK}のごみ"),
        ("山田太郎の住民票", f"{MASK}の住民票"),
        ("taro@example.jp に送って", f"{MASK} に送って"),
        ("昭和45年3月2日生まれです", f"{MASK}です"),
        ("住民票の写し 2 通", "住民票の写し 2 通"),
    ],
)
def test_hits_are_masked_and_the_rest_kept(text, masked):
    assert mask_personal(text) == masked


def test_a_resident_is_never_learned_from_a_question_with_a_hit():
    questions = [e["text"] for e in FORMS[::11]][:8]
    records = []
    for n, question in enumerate(questions):
        for u in (1, 2):
            at = T0 + timedelta(hours=n, minutes=u)
            records += tap(user(u), question, TOP, at=at, opened=("78",))
    learned = mine(records)
    assert learned.phrasings == () and learned.personal == 2 * len(questions)
    harmless = []
    for u in (1, 2):
        harmless += tap(user(u), "住民票の写し 2 通", TOP, at=T0, opened=("78",))
    assert [p.text for p in mine(harmless).phrasings] == ["住民票の写し 2 通"]


def test_the_report_never_quotes_personal_data():
    asked = ["090-1234-5678 に電話して", "山田太郎です 粗大ごみ", "犬の登録"]
    records = [
        new_search(
            now=T0 + timedelta(minutes=n),
            user=f"u{n}",
            query=q,
            top=[],
            answered=False,
            retention_days=90,
        )
        for n, q in enumerate(asked)
    ]
    data = build_report(records, None, date(2026, 11, 2), date(2026, 11, 2), generated_at=T0)
    cells = [
        str(c.value)
        for sheet in openpyxl.load_workbook(io.BytesIO(data)).worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    ]
    shown = "\n".join(cells)
    assert "1234" not in shown and "山田" not in shown and "太郎" not in shown
    assert MASK in shown and "犬の登録" in shown
