"""Which messages are small talk (answered kindly) and which are questions (searched)."""

import pytest

from madoguchi.conversation.small_talk import SmallTalk, reply_text, small_talk
from madoguchi.model import BotSettings


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ありがとう", SmallTalk.THANKS),
        ("ありがとうございました！", SmallTalk.THANKS),
        ("どうもありがとう", SmallTalk.THANKS),
        ("助かりました", SmallTalk.THANKS),
        ("バイバイ", SmallTalk.THANKS),
        ("こんにちは", SmallTalk.HELLO),
        ("おはようございます", SmallTalk.HELLO),
        ("よろしくお願いします", SmallTalk.HELLO),
        ("すごい", SmallTalk.NOD),
        ("すごいですね", SmallTalk.NOD),
        ("なるほど", SmallTalk.NOD),
        ("はい", SmallTalk.NOD),
        ("ＯＫ", SmallTalk.NOD),
        ("了解です", SmallTalk.NOD),
        ("www", SmallTalk.NOD),
        ("?", SmallTalk.UNCLEAR),
        ("？？", SmallTalk.UNCLEAR),
        ("👍", SmallTalk.UNCLEAR),
        ("。", SmallTalk.UNCLEAR),
        ("あ", SmallTalk.UNCLEAR),
        ("うーん", SmallTalk.UNCLEAR),
    ],
)
def test_small_talk_is_recognized(text, kind):
    assert small_talk(text) is kind


@pytest.mark.parametrize(
    "text",
    [
        "粗大ごみの出し方",
        "ありがとう、住民票はどこで取れますか",
        "こんにちは 住民票",
        "すごい雨で避難したい",
        "税",
        "犬",
        "AI",
        "",
        "   ",
    ],
)
def test_questions_and_blank_messages_are_not_small_talk(text):
    assert small_talk(text) is None


def test_replies_come_from_the_settings_with_the_city_name_filled_in():
    settings = BotSettings(city_name="星見ヶ丘市", hello_reply="{city_name}の窓口です。")
    assert reply_text(SmallTalk.HELLO, settings) == "星見ヶ丘市の窓口です。"
    assert reply_text(SmallTalk.THANKS, settings) == BotSettings().thanks_reply
