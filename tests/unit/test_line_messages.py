"""The messages residents see: readable at once, the next step one tap away, in LINE's limits."""

from typing import Any

from madoguchi.line import messages, postback
from madoguchi.model import BotSettings, Faq
from madoguchi_dev.line_api.rules import validate_messages

BUTTON, CANDIDATE, CATEGORY = (
    postback.Source.BUTTON,
    postback.Source.CANDIDATE,
    postback.Source.CATEGORY,
)


def faq(n: int, **fields: Any) -> Faq:
    values: dict[str, Any] = {
        "id": str(n),
        "question": f"質問{n}はどうすればいいですか",
        "answer": f"回答{n}です。",
        "category": "くらし",
    }
    values.update(fields)
    return Faq(**values)


def as_json(message_list) -> list[dict]:
    """The JSON the SDK sends to LINE."""
    return [m.to_dict() for m in message_list]


def rows_of(flex: dict) -> list[dict]:
    """The tappable rows of a question-list bubble."""
    return [c for c in flex["contents"]["body"]["contents"] if "action" in c]


def test_best_answer_is_plain_text_with_the_question_as_title_then_answer_and_url():
    best = faq(
        1,
        question="粗大ごみの出し方",
        answer="前日までに申し込んでください。",
        url="https://example.jp/sodai",
        department="環境課",
    )
    sent = as_json(messages.answer_messages(best, [], BotSettings()))
    assert len(sent) == 1
    assert sent[0]["type"] == "text"
    text = sent[0]["text"]
    assert text.splitlines()[0] == "■ 粗大ごみの出し方"
    assert "前日までに申し込んでください。" in text
    assert "環境課" in text
    assert text.rstrip().endswith("https://example.jp/sodai")
    assert validate_messages(sent) == []


def test_answer_without_url_or_department_has_no_empty_lines_for_them():
    text = as_json(messages.answer_messages(faq(1), [], BotSettings()))[0]["text"]
    assert text == "■ 質問1はどうすればいいですか\n\n回答1です。"


def test_next_three_candidates_are_one_tap_each_under_the_staff_written_heading():
    settings = BotSettings(more_candidates_label="ほかの候補はこちら")
    sent = as_json(messages.answer_messages(faq(1), [faq(2), faq(3), faq(4), faq(5)], settings))
    assert [m["type"] for m in sent] == ["text", "flex"]
    flex = sent[1]
    assert flex["contents"]["body"]["contents"][0]["text"] == "ほかの候補はこちら"
    rows = rows_of(flex)
    assert [postback.decode(r["action"]["data"]) for r in rows] == [
        postback.ShowFaq("2", CANDIDATE),
        postback.ShowFaq("3", CANDIDATE),
        postback.ShowFaq("4", CANDIDATE),
    ]
    # Tapping shows the full question in the chat, as if the resident had typed it.
    assert rows[0]["action"]["displayText"] == "質問2はどうすればいいですか"
    assert rows[0]["contents"][0]["size"] == "lg" and rows[0]["contents"][0]["wrap"] is True
    assert "質問2はどうすればいいですか" in flex["altText"]
    assert validate_messages(sent) == []


def test_long_answer_is_clipped_to_5000_characters_but_keeps_title_and_url():
    best = faq(1, answer="あ" * 9000, url="https://example.jp/long")
    text = as_json(messages.answer_messages(best, [], BotSettings()))[0]["text"]
    assert len(text) == messages.MAX_TEXT_LENGTH
    assert text.startswith("■ 質問1")
    assert text.endswith("https://example.jp/long")
    assert "…" in text


def test_long_questions_fit_labels_alt_text_and_display_text_limits():
    long_question = "とても長い質問" * 80  # 560 characters
    others = [faq(n, question=long_question) for n in range(2, 5)]
    sent = as_json(messages.answer_messages(faq(1, question=long_question), others, BotSettings()))
    for row in rows_of(sent[1]):
        assert len(row["action"]["label"]) <= messages.MAX_LABEL_LENGTH
        assert len(row["action"]["displayText"]) <= messages.MAX_DISPLAY_TEXT_LENGTH
    assert len(sent[1]["altText"]) <= messages.MAX_ALT_TEXT_LENGTH
    assert validate_messages(sent) == []


def quick_items(message_list) -> list[dict]:
    return as_json(message_list)[-1]["quickReply"]["items"]


def test_no_answer_gives_the_settings_message_categories_and_staff():
    settings = BotSettings(no_answer_message="見つかりませんでした。")
    sent = messages.no_answer_messages(settings, ["ごみ", "子育て", "税金"])
    assert as_json(sent)[0]["text"] == "見つかりませんでした。"
    actions = [postback.decode(i["action"]["data"]) for i in quick_items(sent)]
    assert actions == [
        postback.ListCategory("ごみ", source=BUTTON),
        postback.ListCategory("子育て", source=BUTTON),
        postback.ListCategory("税金", source=BUTTON),
        postback.AskStaff(BUTTON),
    ]
    assert validate_messages(as_json(sent)) == []


def test_twelve_categories_and_staff_fill_exactly_thirteen_quick_replies():
    categories = [f"分野{n}" for n in range(12)]
    items = quick_items(messages.no_answer_messages(BotSettings(), categories))
    assert len(items) == messages.MAX_QUICK_REPLY_ITEMS
    assert postback.decode(items[-1]["action"]["data"]) == postback.AskStaff(BUTTON)


def test_many_categories_page_through_more_buttons_showing_each_once():
    categories = [f"とても長い分野の名前その{n}番目です" for n in range(30)]
    seen: list[str] = []
    page = 1
    while True:
        items = quick_items(messages.categories_messages(categories, page))
        assert len(items) <= messages.MAX_QUICK_REPLY_ITEMS
        assert all(len(i["action"]["label"]) <= messages.MAX_LABEL_LENGTH for i in items)
        actions = [postback.decode(i["action"]["data"]) for i in items]
        assert actions[-1] == postback.AskStaff(BUTTON)
        seen += [a.name for a in actions if isinstance(a, postback.ListCategory)]
        more = [a for a in actions if isinstance(a, postback.ListCategories)]
        if not more:
            break
        page = more[0].page
    assert seen == categories
    assert page == 3


def test_a_stale_more_button_beyond_the_last_page_starts_again():
    categories = [f"分野{n}" for n in range(20)]
    items = quick_items(messages.categories_messages(categories, page=9))
    first = postback.ListCategory("分野0", source=BUTTON)
    assert postback.decode(items[0]["action"]["data"]) == first


def test_category_lists_twelve_questions_a_page_with_a_next_row():
    faqs = [faq(n) for n in range(1, 31)]
    first = as_json(messages.category_messages("くらし", faqs))
    rows = rows_of(first[0])
    assert len(rows) == 13
    assert postback.decode(rows[-1]["action"]["data"]) == postback.ListCategory("くらし", 2)
    assert postback.decode(rows[0]["action"]["data"]) == postback.ShowFaq("1", CATEGORY)
    last = as_json(messages.category_messages("くらし", faqs, page=3))
    rows = rows_of(last[0])
    assert [postback.decode(r["action"]["data"]) for r in rows] == [
        postback.ShowFaq(str(n), CATEGORY) for n in range(25, 31)
    ]
    assert "3ページ目" in last[0]["contents"]["body"]["contents"][0]["text"]
    assert validate_messages(first) == [] and validate_messages(last) == []


def test_greeting_fills_the_city_name_and_leaves_other_braces_alone():
    settings = BotSettings(city_name="星見ヶ丘市", greeting="{city_name}へようこそ {あいさつ}")
    assert (
        as_json(messages.greeting_messages(settings))[0]["text"]
        == "星見ヶ丘市へようこそ {あいさつ}"
    )


def test_handover_message_fills_office_hours():
    settings = BotSettings(handover_message="受付は{office_hours}です。", office_hours="平日 9-17")
    assert as_json(messages.handover_messages(settings))[0]["text"] == "受付は平日 9-17です。"


def test_an_id_too_long_for_postback_data_is_left_out_instead_of_breaking_the_list():
    listed = [faq(1, id="x" * 400), faq(2)]
    flex = messages.question_list("候補", listed, source=CANDIDATE).to_dict()
    shown = [postback.decode(r["action"]["data"]) for r in rows_of(flex)]
    assert shown == [postback.ShowFaq("2", CANDIDATE)]


def test_clip_marks_the_cut_and_never_exceeds_the_limit():
    assert messages.clip("あいうえお", 5) == "あいうえお"
    assert messages.clip("あいうえおか", 5) == "あいうえ…"
    assert messages.text_message("").text == "…"


def test_choices_open_with_one_tap_and_keep_categories_and_staff_below():
    choices = [faq(1), faq(2), faq(3), faq(4), faq(5)]
    sent = as_json(messages.choice_messages(choices, ["ごみ", "子育て"]))
    validate_messages(sent)
    (flex,) = sent
    assert flex["contents"]["body"]["contents"][0]["text"] == "次のどれが近いですか？"
    opened = [postback.decode(row["action"]["data"]) for row in rows_of(flex)]
    assert opened == [postback.ShowFaq(str(n), "choice") for n in (1, 2, 3, 4)]
    assert flex["altText"].startswith("次のどれが近いですか？")
    items = [postback.decode(i["action"]["data"]) for i in flex["quickReply"]["items"]]
    assert items == [
        postback.ListCategory("ごみ", source=postback.Source.BUTTON),
        postback.ListCategory("子育て", source=postback.Source.BUTTON),
        postback.AskStaff(postback.Source.BUTTON),
    ]


def test_not_found_is_one_message_apology_first_then_what_to_do():
    settings = BotSettings(
        no_answer_message="ごめんなさい、見つかりませんでした。分野から探せます。"
    )
    (sent,) = as_json(messages.no_answer_messages(settings, ["ごみ"]))
    assert sent["text"].startswith("ごめんなさい")
    assert [i["action"]["label"] for i in sent["quickReply"]["items"]] == ["ごみ", "職員に相談"]
