"""Mining the search log for learned phrasings: what counts as evidence, how many residents it
takes, what is left out (personal data, refusals, wrong taps, one resident repeating)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from madoguchi.learning import has_personal_data, learn_for, mine, phrasing_key
from madoguchi.model import BotSettings, Faq, FaqWorkbook, Refusal
from tests.support.learning_log import tap, user

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
TOP = ["77", "78", "79", "90"]


def taps(*users: int, query: str = "育児手当 いつ入る", chosen: str = "78", **kw) -> list:
    records = []
    for n, u in enumerate(users):
        records += tap(user(u), query, TOP, at=T0 + timedelta(hours=n), opened=(chosen,), **kw)
    return records


def test_two_residents_opening_the_same_candidate_teach_it():
    learned = mine(taps(1, 2))
    assert [(p.text, p.faq_id, p.residents) for p in learned.phrasings] == [
        ("育児手当 いつ入る", "78", 2)
    ]
    assert learned.residents == 2
    phrasing = learned.phrasings[0]
    assert phrasing.first_seen == "2026-11-02T01:00:00Z"
    assert phrasing.last_seen == "2026-11-02T02:00:00Z"


def test_one_resident_is_not_enough_whatever_they_repeat():
    assert mine(taps(1)).phrasings == ()
    flood = []
    for n in range(100):
        flood += tap(user(7), "児童手当", TOP, at=T0 + timedelta(minutes=n), opened=("90",))
    assert mine(flood).phrasings == ()
    # One resident's flood does not outvote, or count beside, two honest residents either.
    learned = mine(flood + taps(1, 2, query="児童手当", chosen="77"))
    assert [(p.faq_id, p.residents) for p in learned.phrasings] == [("77", 2)]


def test_the_number_of_residents_is_a_setting():
    assert mine(taps(1, 2), min_residents=3).phrasings == ()
    assert len(mine(taps(1, 2, 3), min_residents=3).phrasings) == 1


def test_helpful_confirms_and_unhelpful_cancels():
    rated = []
    for n, u in enumerate((1, 2)):
        rated += tap(user(u), "育児手当", TOP, at=T0 + timedelta(hours=n), helpful={"77": True})
    assert [p.faq_id for p in mine(rated).phrasings] == ["77"]
    cancelled = taps(1) + taps(2, helpful={"78": False})
    assert mine(cancelled).phrasings == ()


def test_a_choice_outside_the_candidates_is_no_evidence():
    forged = []
    for u in (1, 2):
        forged += tap(user(u), "育児手当", TOP, at=T0, helpful={"999": True})
    assert mine(forged).phrasings == ()


def test_opening_two_candidates_without_a_rating_teaches_nothing():
    unsure = []
    for u in (1, 2):
        unsure += tap(user(u), "育児手当", TOP, at=T0, opened=("77", "78"))
    assert mine(unsure).phrasings == ()


def test_wordings_that_differ_only_in_typing_are_one_phrasing():
    assert phrasing_key("育児手当、いつ入る?教えてください") == phrasing_key("育児手当 いつ入る")
    records = taps(1, query="育児手当、いつ入る?") + taps(2, query="育児手当 いつ入る")
    learned = mine(records)
    assert len(learned.phrasings) == 1 and learned.phrasings[0].residents == 2


def test_a_phrasing_split_between_faqs_goes_to_the_one_most_residents_chose():
    records = taps(1, 2, 3, chosen="78") + taps(4, 5, chosen="79")
    assert [(p.faq_id, p.residents) for p in mine(records).phrasings] == [("78", 3)]


def test_at_most_m_per_faq_newest_first():
    records = []
    for day in range(5):
        query = f"手当 質問{'あいうえお'[day]}"
        at = T0 + timedelta(days=day)
        for u in (1, 2):
            records += tap(user(u), query, TOP, at=at, opened=("78",))
    kept = mine(records, max_per_faq=2).phrasings
    assert [p.text for p in kept] == ["手当 質問お", "手当 質問え"]


def test_questions_with_personal_data_are_never_learned():
    records = []
    for u in (1, 2):
        records += tap(user(u), "私は山田です 児童手当", TOP, at=T0, opened=("78",))
        records += tap(user(u), "090-1234-5678 児童手当", TOP, at=T0, opened=("78",))
    learned = mine(records)
    assert learned.phrasings == () and learned.personal == 4


def test_refusals_and_wordings_staff_already_have_are_left_out():
    assert mine(taps(1, 2), refusals=[Refusal("育児手当")]).phrasings == ()
    assert mine(taps(1, 2), refusals=[Refusal("育児手当", "77")]).phrasings != ()
    assert mine(taps(1, 2), refusals=[Refusal("育児手当", "78")]).refused == 1
    known = {"78": {phrasing_key("育児手当 いつ入る?")}}
    assert mine(taps(1, 2), known=known).phrasings == ()


def test_learn_for_obeys_the_workbook():
    faqs = tuple(Faq(i, f"質問{i}", "回答") for i in TOP)
    workbook = FaqWorkbook(faqs=faqs)
    assert len(learn_for(workbook, taps(1, 2)).phrasings) == 1
    off = FaqWorkbook(faqs=faqs, settings=BotSettings(learn_from_residents=False))
    assert learn_for(off, taps(1, 2)).enabled is False
    assert learn_for(off, taps(1, 2)).phrasings == ()
    hidden = FaqWorkbook(faqs=tuple(Faq(i, f"質問{i}", "回答", published=i != "78") for i in TOP))
    assert learn_for(hidden, taps(1, 2)).phrasings == ()
    three = FaqWorkbook(faqs=faqs, settings=BotSettings(learn_min_residents=3))
    assert learn_for(three, taps(1, 2)).phrasings == ()


def test_personal_data_filter():
    for text in (
        "090-1234-5678に電話ください",
        "０３（１２３４）５６７８",
        "〒123-4567",
        "123-4567 の住所",
        "taro.yamada@example.jp",
        "私は山田です",
        "僕は引っ越します",
        "田中さんに聞いた",
        "佐藤様宛て",
        "マイナンバー 123412341234",
        "3丁目のごみ",
        "山田と申します",
    ):
        assert has_personal_data(text), text
    for text in (
        "児童手当 いつ振り込まれる",
        "令和6年度 住民税",
        "お父さんが亡くなった",
        "皆さんのごみの日",
        "粗大ごみ 出し方",
        "パスポート 3歳",
    ):
        assert not has_personal_data(text), text


def test_a_candidate_or_choice_view_linked_to_the_search_counts_as_opening_it():
    from madoguchi.searchlog.model import FAQ_VIEW, new_event

    records = []
    for n, u in enumerate((1, 2)):
        [search] = tap(user(u), "育児手当", TOP, at=T0 + timedelta(hours=n))
        view = new_event(
            FAQ_VIEW,
            now=T0 + timedelta(hours=n, seconds=5),
            user=user(u),
            retention_days=90,
            faq_id="77",
            search_id=search.id,
            detail={"source": "choice"},
        )
        records += [search, view]
    assert [(p.faq_id, p.residents) for p in mine(records).phrasings] == [("77", 2)]
    # A view by someone else, or of a FAQ the search did not show, is no evidence.
    forged = [r if r.kind != FAQ_VIEW else replace(r, user_ref=user(9)) for r in records]
    assert mine(forged).phrasings == ()


def test_words_of_a_resident_in_danger_are_never_learned():
    """Searched before the crisis rules knew the wording, and chosen by enough residents: still
    never a phrasing (it would be matched against every later question)."""
    learned = mine(taps(1, 2, 3, query="もう限界 相談したい"))
    assert learned.phrasings == ()
    assert learned.personal == 3  # counted with what was left out for personal data
    assert [p.faq_id for p in mine(taps(1, 2, query="相談したい")).phrasings] == ["78"]
