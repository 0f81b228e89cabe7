"""Residents with large text and screen readers: every Flex text follows the phone's font size,
every Flex message says in its alt text what it holds, answers end with a button that calls the
department (the 担当課 sheet), rich menu areas carry labels, and the menu's text is readable."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from PIL import Image

from madoguchi.conversation import foreign_reply
from madoguchi.conversation.search_reply import ReplyKind, SearchReply
from madoguchi.line import messages, postback
from madoguchi.model import ActionKind, BotSettings, Department, Faq, MenuButton, MenuTab
from madoguchi.richmenu.layout import layout_menu
from madoguchi.richmenu.render import button_label_box, contrast_ratio, render_menu
from madoguchi.richmenu.spec import build_requests, deploy_id
from madoguchi.workbook import Severity, validate_workbook
from madoguchi.workbook.problems_text import format_problem
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

FAQS = [
    Faq(str(i), f"質問{i}です", f"回答{i}の一行目です。\n二行目です。", "ごみ", department="環境課")
    for i in range(1, 5)
]
DEPARTMENT = Department(
    "環境課", "0120-000-601", "平日 8:30〜17:15", "https://city.example/kankyo", "本庁舎3階"
)


def texts_in(component: Any) -> Iterator[dict]:
    """Every text component of a Flex message (as LINE receives it), however deeply nested."""
    if isinstance(component, dict):
        if component.get("type") == "text":
            yield component
        for value in component.values():
            yield from texts_in(value)
    elif isinstance(component, list):
        for item in component:
            yield from texts_in(item)


def flex_messages() -> dict[str, Any]:
    """Every kind of Flex message the bot sends, built by the code that sends it."""

    class Index:
        settings = BotSettings()

    choices = SearchReply(ReplyKind.CHOICES, tuple(FAQS))
    return {
        "candidates": messages.answer_messages(FAQS[0], FAQS[1:], BotSettings())[1],
        "choices": messages.choice_messages(FAQS, ["ごみ"])[0],
        "category": messages.category_messages("ごみ", FAQS * 4)[0],
        "contact": messages.contact_message(FAQS[0], DEPARTMENT),
        "foreign choices": foreign_reply.messages_for(choices, Index(), "en")[0],  # type: ignore[arg-type]
    }


def test_every_flex_text_has_a_size_and_follows_the_phones_font_size():
    for name, message in flex_messages().items():
        found = list(texts_in(message.to_dict()))
        assert found, name
        for text in found:
            assert text.get("size") and text.get("scaling") is True, (name, text)
            assert text.get("wrap") is True, (name, text)  # large text wraps instead of cutting


def test_every_flex_message_says_what_it_holds():
    found = flex_messages()
    assert found["choices"].alt_text.startswith(messages.CHOICES_TITLE)
    assert "質問1です" in found["choices"].alt_text
    assert "質問2です" in found["candidates"].alt_text
    contact = found["contact"].alt_text
    assert (
        contact.startswith("「質問1です」の") and "環境課" in contact and "0120-000-601" in contact
    )
    assert all(m.alt_text.strip() for m in found.values())


def test_an_answer_ends_with_buttons_that_call_the_department_and_open_its_page():
    sent = messages.answer_messages(FAQS[0], [], BotSettings(), DEPARTMENT)
    assert len(sent) == 2
    bubble = sent[1].to_dict()["contents"]
    call, page = (b["action"] for b in bubble["footer"]["contents"])
    assert call == {"type": "uri", "label": "電話する 0120-000-601", "uri": "tel:0120000601"}
    assert page["uri"] == "https://city.example/kankyo"
    assert all(b["scaling"] is True for b in bubble["footer"]["contents"])
    shown = [t["text"] for t in texts_in(bubble)]
    assert shown == ["お問い合わせ先", "環境課", "受付時間：平日 8:30〜17:15", "場所：本庁舎3階"]


def test_without_a_department_row_the_answer_is_as_before():
    assert len(messages.answer_messages(FAQS[0], [], BotSettings(), None)) == 1


def test_a_phone_number_is_dialled_by_its_digits():
    assert Department("x", "0120-000-601").dial == "0120000601"
    assert Department("x", "(03) 1234-5678").dial == "0312345678"
    assert Department("x", "#8008").dial == "#8008"
    assert Department("x", "").dial == ""


def departments_workbook(rows, faq_department="環境課"):
    return validate_workbook(
        make_workbook(
            {
                "FAQ": [FAQ_HEADER, faq_row(1, "粗大ごみ", "予約", department=faq_department)],
                "担当課": [["課名", "電話", "受付時間", "URL", "場所"], *rows],
            }
        )
    )


def test_the_departments_sheet_is_read_into_the_workbook():
    result = departments_workbook(
        [["環境課", "0120-000-601", "平日 8:30〜17:15", "https://city.example/k", "3階"]]
    )
    assert result.workbook is not None and not result.problems
    assert result.workbook.departments == (
        Department(
            "環境課", "0120-000-601", "平日 8:30〜17:15", "https://city.example/k", "3階", 2
        ),
    )


def test_an_unknown_department_is_a_check_at_the_faqs_cell():
    result = departments_workbook([["市民課", "0120-000-101", "", "", ""]])
    (problem,) = result.problems
    assert problem.severity is Severity.WARNING and problem.sheet == "FAQ" and problem.cell == "H2"
    assert format_problem(problem).startswith("【確認】")
    assert "環境課" in problem.message


def test_a_phone_that_cannot_be_dialled_and_a_bad_url_are_errors_at_their_cells():
    result = departments_workbook([["環境課", "かんきょう", "", "city.example", ""]])
    cells = sorted(p.cell for p in result.problems if p.severity is Severity.ERROR)
    assert cells == ["B2", "D2"]


def test_without_the_departments_sheet_nothing_is_checked():
    result = validate_workbook(
        make_workbook({"FAQ": [FAQ_HEADER, faq_row(1, "粗大ごみ", "予約", department="環境課")]})
    )
    assert result.workbook is not None and not result.problems


MENU = (
    MenuTab("くらし", (MenuButton("ごみの出し方", ActionKind.FAQ, "1"),)),
    MenuTab("子育て", (MenuButton("職員に相談", ActionKind.STAFF),)),
)


def test_every_rich_menu_area_carries_a_label_for_screen_readers():
    for request in build_requests(MENU, layout_menu(MENU), deploy_id("abc")):
        labels = [area.action.label for area in request.areas]
        assert all(labels) and all(len(label) <= 20 for label in labels), labels
        assert "「くらし」タブ" in labels and "「子育て」タブ" in labels


def test_the_drawn_label_text_has_at_least_wcag_aa_contrast_with_its_button():
    for tab in render_menu(MENU):
        image = Image.open(io.BytesIO(tab.png)).convert("RGB")
        for box in tab.layout.button_boxes:
            label = button_label_box(box)
            crop = image.crop((label.x, label.y, label.x + label.width, label.y + label.height))
            colors = crop.getcolors(maxcolors=1 << 16) or []
            background = max(colors)[1]  # the face of the button
            darkest = min((c for _, c in colors), key=sum)  # the ink of the label
            assert darkest != background
            assert contrast_ratio(darkest, background) >= 4.5, (tab.name, darkest, background)


def test_the_staff_button_in_another_language_still_asks_staff():
    quick = foreign_reply.staff_quick_reply(BotSettings(), "vi")
    action = quick.items[0].action
    assert postback.decode(action.data) == postback.AskStaff(postback.Source.BUTTON, "vi")
    assert action.label == "Hỏi nhân viên"
