"""Postback data: round trips, LINE's 300-character limit, and garbage decoded safely to None."""

import pytest

from madoguchi.line import postback
from madoguchi.line.postback import (
    AskStaff,
    ListCategories,
    ListCategory,
    PostbackTooLong,
    ShowFaq,
    Source,
    decode,
    encode,
)


@pytest.mark.parametrize(
    ("action", "data"),
    [
        (ShowFaq("12"), "a=faq&id=12"),
        (ShowFaq("12", "choice"), "a=faq&id=12&src=choice"),
        (ListCategory("ごみ・リサイクル"), "a=cat&name=ごみ・リサイクル"),
        (ListCategory("子育て", page=3), "a=cat&name=子育て&p=3"),
        (ListCategories(), "a=cats"),
        (ListCategories(2), "a=cats&p=2"),
        (AskStaff(), "a=staff"),
        (ShowFaq("12", Source.MENU), "a=faq&id=12&src=menu"),
        (ShowFaq("12", Source.CHOICE), "a=faq&id=12&src=choice"),
        (ListCategory("ごみ", source=Source.MENU), "a=cat&name=ごみ&src=menu"),
        (ListCategory("ごみ", 2, Source.BUTTON), "a=cat&name=ごみ&p=2&src=button"),
        (AskStaff(Source.MENU), "a=staff&src=menu"),
    ],
)
def test_encodes_compact_readable_data_and_decodes_it_back(action, data):
    assert encode(action) == data
    assert decode(data) == action


@pytest.mark.parametrize("name", ["税金&保険", "a=b", "100%", "改行\nあり", "+ プラス", "末尾%"])
def test_names_with_separator_characters_survive_the_round_trip(name):
    assert decode(encode(ListCategory(name, 2))) == ListCategory(name, 2)


def test_japanese_stays_one_character_each_so_long_names_fit():
    name = "高齢者・障害のある方の福祉サービス" * 10  # 170 characters
    data = encode(ListCategory(name))
    assert len(data) == len("a=cat&name=") + 170
    assert decode(data) == ListCategory(name)


def test_data_over_300_characters_is_refused_when_encoding():
    longest = "あ" * (postback.MAX_DATA_LENGTH - len("a=faq&id="))
    assert len(encode(ShowFaq(longest))) == 300
    with pytest.raises(PostbackTooLong):
        encode(ShowFaq(longest + "あ"))


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "hello",
        "a=unknown",
        "a=faq",
        "a=faq&id=",
        "a=faq&id=  ",
        "a=faq&id=1&id=2",
        "a=faq&id=1&extra=x",
        "a=faq&id=1&src=選択",
        "a=faq&id=1&src=a b",
        "a=cat",
        "a=cat&name=ごみ&p=0",
        "a=cat&name=ごみ&p=-1",
        "a=cat&name=ごみ&p=x",
        "a=cat&name=ごみ&p=１",
        "a=cat&name=ごみ&p=99999",
        "a=cats&p=",
        "a=staff&now=1",
        "a=faq&id=%FF%FE",
        "=&=&=",
        "&&&",
        "a" * 301,
        "a=faq&id=" + "1" * 400,
        "richmenu-switch-tab1",
        "a=faq&id=1&src=somewhere",
        "a=faq&id=1&src=offer",
        "a=cat&name=ごみ&src=candidate",
        "a=staff&src=choice",
    ],
)
def test_unknown_garbled_or_oversized_data_decodes_to_none(data):
    assert decode(data) is None


def test_decoding_never_raises_on_arbitrary_text():
    samples = ["%", "%%", "%zz", "a=%", "a=faq&id=%E3%81", "a=cat&name=%00", "\x00=\x00"]
    for sample in samples:
        result = decode(sample)
        assert result is None or isinstance(result, ShowFaq | ListCategory)
