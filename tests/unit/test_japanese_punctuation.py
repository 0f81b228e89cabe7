"""Japanese text residents read uses full-width punctuation: （）：？！ beside Japanese, never the
half-width ones (お問い合わせ先：…, もしかして…？, 1月5日（月）8:30)."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from datetime import datetime
from pathlib import Path

import pytest

from madoguchi.clock import JST
from madoguchi.conversation import small_talk
from madoguchi.handover import replies
from madoguchi.handover.office_hours import format_moment_ja
from madoguchi.line import messages
from madoguchi.model import SETTING_KEYS, BotSettings, Faq

SETTINGS_SOURCE = Path(__file__).resolve().parents[2] / "faq" / "source" / "settings.json"
JAPANESE = "\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e「」、。"
HALF_WIDTH_BESIDE_JAPANESE = re.compile(f"[{JAPANESE}][:?!()]|[:?!()][{JAPANESE}]")
NOT_RESIDENT_TEXT = {"office_hours", "closed_days", "notice_start", "notice_end", "contact"}


def resident_texts() -> dict[str, str]:
    found: dict[str, str] = {}
    defaults = BotSettings()
    for field in fields(defaults):
        value = getattr(defaults, field.name)
        if isinstance(value, str) and field.name not in NOT_RESIDENT_TEXT:
            found[f"BotSettings.{field.name}"] = value
    for module in (messages, replies, small_talk):
        for name, value in vars(module).items():
            public = name.isupper() and not name.startswith("_")
            if public and isinstance(value, str) and re.search(f"[{JAPANESE}]", value):
                found[f"{module.__name__}.{name}"] = value
    sample = json.loads(SETTINGS_SOURCE.read_text(encoding="utf-8"))
    for key, value in sample.items():
        if isinstance(value, str) and SETTING_KEYS[key] not in NOT_RESIDENT_TEXT:
            found[f"設定 {key}"] = value
    faq = Faq("1", "粗大ごみの出し方", "申し込みます。", department="環境課")
    found["answer_text"] = messages.answer_text(faq)
    found["category page title"] = messages.category_messages("ごみ", [faq] * 30, 2)[0].alt_text
    found["a moment"] = format_moment_ja(datetime(2026, 1, 5, 8, 30, tzinfo=JST))
    return found


@pytest.mark.parametrize(("where", "text"), sorted(resident_texts().items()))
def test_resident_text_uses_full_width_punctuation(where, text):
    assert not HALF_WIDTH_BESIDE_JAPANESE.search(text), f"{where}: {text!r}"


def test_the_examples_of_the_issue_read_as_expected():
    texts = resident_texts()
    assert "お問い合わせ先：環境課" in texts["answer_text"]
    assert texts["a moment"] == "1月5日（月）8:30"
    assert messages.CHOICES_TITLE.endswith("？")
