"""The one decision step: which kind of reply a resident's message gets."""

import pytest

from madoguchi.conversation.message_kind import MessageKind, read_message
from madoguchi.conversation.small_talk import SmallTalk


@pytest.mark.parametrize(
    ("text", "with_staff", "can_hand_over", "kind"),
    [
        (None, False, True, MessageKind.NOT_TEXT),
        (None, True, True, MessageKind.TO_STAFF),
        ("住民票の写しがほしい", True, True, MessageKind.TO_STAFF),
        ("もどる", True, True, MessageKind.BACK_TO_BOT),
        ("もどる", False, True, MessageKind.QUESTION),
        ("AIに戻る", False, True, MessageKind.BACK_TO_BOT),
        ("職員と話したい", False, True, MessageKind.ASK_STAFF),
        ("職員と話したい", False, False, MessageKind.QUESTION),
        ("ありがとう", False, True, MessageKind.SMALL_TALK),
        ("住民票の写しがほしい", False, True, MessageKind.QUESTION),
    ],
)
def test_each_message_gets_its_kind(text, with_staff, can_hand_over, kind):
    reading = read_message(text, with_staff=with_staff, can_hand_over=can_hand_over)
    assert reading.kind is kind


def test_small_talk_names_its_kind():
    reading = read_message("ありがとうございます", with_staff=False, can_hand_over=False)
    assert reading.small_talk is SmallTalk.THANKS
