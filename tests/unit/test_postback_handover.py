"""Postbacks of the hand-over and feedback: compact data, exact round trips, garbage refused."""

import pytest

from madoguchi.line.postback import AskStaff, BackToBot, Feedback, decode, encode


@pytest.mark.parametrize(
    ("action", "data"),
    [
        (Feedback("12", True), "a=fb&id=12&v=1"),
        (Feedback("12", False, "20260105031522123a1b2"), "a=fb&id=12&v=0&s=20260105031522123a1b2"),
        (BackToBot(), "a=bot"),
        (AskStaff("offer"), "a=staff&src=offer"),
        (AskStaff(), "a=staff"),
    ],
)
def test_round_trip(action, data):
    assert encode(action) == data
    assert decode(data) == action


@pytest.mark.parametrize(
    "data",
    [
        "a=fb&id=12",
        "a=fb&id=12&v=2",
        "a=fb&id=&v=1",
        "a=fb&v=1",
        "a=fb&id=12&v=1&x=3",
        "a=bot&x=1",
        "a=staff&src=日本",
        "a=staff&src=a1",
    ],
)
def test_malformed_data_is_ignored(data):
    assert decode(data) is None
