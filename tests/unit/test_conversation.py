"""The responder without per-resident state: each kind of LINE event gets the reply a resident
should see (no I/O)."""

import pytest

from madoguchi.conversation import Responder, Turn, TurnKind
from madoguchi.language import texts
from madoguchi.line import postback
from madoguchi.model import BotSettings, Faq, FaqWorkbook
from madoguchi.search import build_index
from tests.support import line_events as ev
from tests.support.turns import parsed, reply_json

SETTINGS = BotSettings(
    city_name="星見ヶ丘市",
    greeting="{city_name}の窓口です。",
    no_answer_message="見つかりませんでした。",
    unsupported_message="文字で送ってください。",
    handover_message="職員におつなぎします。",
)

FAQS = (
    Faq(
        "1",
        "粗大ごみの出し方",
        "前日までに粗大ごみ受付センターへ申し込んでください。",
        category="ごみ",
        keywords=("粗大ごみ", "大型ごみ"),
        url="https://example.jp/sodai",
    ),
    Faq(
        "2",
        "粗大ごみの手数料はいくらですか",
        "品目ごとに200円から1,000円です。",
        category="ごみ",
        keywords=("粗大ごみ", "料金"),
    ),
    Faq("3", "燃えるごみの収集日", "地区ごとに週2回です。", category="ごみ"),
    Faq("4", "資源ごみの分け方", "びん・缶・ペットボトルに分けてください。", category="ごみ"),
    Faq("5", "児童手当の申請", "出生の翌日から15日以内に申請してください。", category="子育て"),
    Faq("6", "住民票の写しの取り方", "市民課の窓口かコンビニで取れます。", category="届出・証明"),
)


@pytest.fixture(scope="module")
def index():
    return build_index(FaqWorkbook(faqs=FAQS, settings=SETTINGS))


def test_question_gets_best_answer_and_more_candidates(index):
    turn = Responder().respond(
        parsed(ev.text_event("粗大ごみの出し方を教えて", reply_token="t1")), index
    )
    assert turn.kind == "answer" and turn.answered is True
    assert turn.reply.reply_token == "t1"
    sent = reply_json(turn)
    assert sent[0]["text"].startswith("■ 粗大ごみの出し方")
    assert turn.faq_id == "1" and turn.hit_ids[0] == "1"
    assert turn.query == "粗大ごみの出し方を教えて"
    assert turn.search_ms is not None and turn.search_ms >= 0
    shown = [
        postback.decode(c["action"]["data"])
        for c in sent[1]["contents"]["body"]["contents"]
        if "action" in c
    ]
    candidate = postback.Source.CANDIDATE
    assert postback.ShowFaq("2", candidate) in shown
    assert postback.ShowFaq("1", candidate) not in shown
    assert len(shown) <= 3


def test_unknown_question_gets_no_answer_message_categories_and_staff(index):
    turn = Responder().respond(parsed(ev.text_event("宇宙旅行の補助金")), index)
    assert turn.kind == "no_answer" and turn.answered is False
    sent = reply_json(turn)
    assert sent[0]["text"] == "見つかりませんでした。"
    actions = [postback.decode(i["action"]["data"]) for i in sent[0]["quickReply"]["items"]]
    button = postback.Source.BUTTON
    assert actions == [
        postback.ListCategory("ごみ", source=button),
        postback.ListCategory("子育て", source=button),
        postback.ListCategory("届出・証明", source=button),
        postback.AskStaff(button),
    ]
    assert sent[0]["quickReply"]["items"][-1]["action"]["label"] == "職員に相談"


def test_unsure_question_gets_choices_that_open_with_one_tap(index):
    turn = Responder().respond(parsed(ev.text_event("粗大ごみを出したい")), index)
    assert turn.kind == "no_answer" and turn.answered is False and turn.faq_id is None
    (choices,) = reply_json(turn)
    rows = choices["contents"]["body"]["contents"]
    assert rows[0]["text"] == "次のどれが近いですか？"
    offered = [postback.decode(c["action"]["data"]) for c in rows if "action" in c]
    assert offered[0] == postback.ShowFaq("1", postback.Source.CHOICE)
    assert 1 <= len(offered) <= 4 and all(o.source == "choice" for o in offered)
    # None of them? The categories and staff are one tap away too.
    actions = [postback.decode(i["action"]["data"]) for i in choices["quickReply"]["items"]]
    assert actions[0] == postback.ListCategory("ごみ", source=postback.Source.BUTTON)
    assert actions[-1] == postback.AskStaff(postback.Source.BUTTON)
    opened = Responder().respond(parsed(ev.postback_event(postback.encode(offered[0]))), index)
    assert opened.kind == "faq" and opened.faq_id == "1"


def test_follow_gets_the_greeting_with_the_city_name(index):
    turn = Responder().respond(parsed(ev.follow_event(reply_token="t2")), index)
    assert turn.kind == "follow"
    assert reply_json(turn)[0]["text"] == "星見ヶ丘市の窓口です。"


@pytest.mark.parametrize("make", [ev.sticker_event, ev.image_event, ev.location_event])
def test_non_text_messages_get_the_short_hint(index, make):
    turn = Responder().respond(parsed(make()), index)
    assert turn.kind == "unsupported"
    assert reply_json(turn)[0]["text"] == "文字で送ってください。"


def test_blank_text_gets_the_hint_instead_of_a_search(index):
    turn = Responder().respond(parsed(ev.text_event("   ")), index)
    assert turn.kind == "unsupported" and turn.query is None


def test_postback_faq_shows_that_answer(index):
    turn = Responder().respond(parsed(ev.postback_event("a=faq&id=5")), index)
    assert turn.kind == "faq" and turn.faq_id == "5"
    assert reply_json(turn)[0]["text"].startswith("■ 児童手当の申請")


def test_postback_for_a_removed_faq_says_so_kindly(index):
    turn = Responder().respond(parsed(ev.postback_event("a=faq&id=999")), index)
    assert turn.kind == "unknown_faq"
    assert "ご案内していません" in reply_json(turn)[0]["text"]


def test_postback_category_lists_its_questions(index):
    turn = Responder().respond(parsed(ev.postback_event("a=cat&name=ごみ")), index)
    assert turn.kind == "category"
    body = reply_json(turn)[0]["contents"]["body"]["contents"]
    assert [postback.decode(c["action"]["data"]) for c in body if "action" in c] == [
        postback.ShowFaq(i, postback.Source.CATEGORY) for i in ("1", "2", "3", "4")
    ]


def test_postback_unknown_category_offers_the_current_ones(index):
    turn = Responder().respond(parsed(ev.postback_event("a=cat&name=廃止された分野")), index)
    assert turn.kind == "unknown_category"
    assert reply_json(turn)[0]["quickReply"]["items"][0]["action"]["displayText"] == "ごみ"


def test_postback_category_page_past_the_end_shows_the_first_page(index):
    turn = Responder().respond(parsed(ev.postback_event("a=cat&name=ごみ&p=7")), index)
    assert turn.kind == "category"
    assert "ページ目" not in reply_json(turn)[0]["contents"]["body"]["contents"][0]["text"]


def test_postback_categories_lists_categories(index):
    turn = Responder().respond(parsed(ev.postback_event("a=cats")), index)
    assert turn.kind == "categories"
    assert len(reply_json(turn)[0]["quickReply"]["items"]) == 4


def test_staff_postback_without_state_says_staff_will_answer(index):
    turn = Responder().respond(parsed(ev.postback_event("a=staff")), index)
    assert turn.kind is TurnKind.STAFF
    assert reply_json(turn)[0]["text"] == "職員におつなぎします。"


@pytest.mark.parametrize("data", ["a=nope", "garbage", "a=faq&id=1&x=2", ""])
def test_unknown_postbacks_are_ignored_without_a_reply(index, data):
    turn = Responder().respond(parsed(ev.postback_event(data)), index)
    assert turn == Turn(TurnKind.IGNORED)


@pytest.mark.parametrize("make", [ev.unfollow_event, ev.unknown_event])
def test_events_that_need_no_answer_are_ignored(index, make):
    assert Responder().respond(parsed(make()), index).reply is None


def test_group_chat_messages_are_not_answered(index):
    group = {"type": "group", "groupId": "Cgroup", "userId": ev.TEST_USER_ID}
    assert Responder().respond(parsed(ev.text_event("粗大ごみ", source=group)), index).kind == (
        "ignored"
    )


def test_without_a_published_index_residents_hear_it_is_being_prepared():
    turn = Responder().respond(parsed(ev.text_event("粗大ごみ")), None)
    assert turn.kind == "not_ready"
    assert "準備中" in reply_json(turn)[0]["text"]
    greeting = Responder().respond(parsed(ev.follow_event()), None)
    assert "友だち追加ありがとうございます" in reply_json(greeting)[0]["text"]


def test_before_anything_is_published_a_resident_in_danger_still_gets_the_lines():
    turn = Responder().respond(parsed(ev.text_event("しにたい")), None)
    assert turn.kind == "crisis"
    sent = reply_json(turn)
    assert sent[1]["type"] == "flex" and "0120-279-338" in sent[1]["altText"]
    assert "準備中" not in str(sent)


def test_before_anything_is_published_distress_in_english_gets_an_english_opening():
    turn = Responder().respond(parsed(ev.text_event("I want to die")), None)
    assert turn.kind == "crisis"
    opening, lines, _ = reply_json(turn)
    assert opening["text"].startswith(texts.TEXTS["en"][texts.CRISIS] + "\n\n")
    assert "0120-279-338" in lines["altText"]


def test_the_crisis_reply_answers_without_a_state_store(index):
    """No state, no salt: the same reply (the mail needs a resident reference, so none is sent)."""
    sent = reply_json(Responder().respond(parsed(ev.text_event("夫に殴られる")), index))
    assert len(sent) == 3 and sent[1]["type"] == "flex"
    assert sent[2]["quickReply"]["items"][0]["action"]["label"] == "職員に相談"


def test_very_long_text_is_searched_by_its_beginning_only(index):
    turn = Responder().respond(parsed(ev.text_event("粗大ごみ" + "あ" * 4000)), index)
    assert len(turn.query) == 500
