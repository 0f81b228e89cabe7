"""Webhook bodies for fuzzing, the same for the same seed: LINE events with parts removed,
replaced by values of other types, stretched or nested; batches of them; and bodies that are not
LINE's at all (truncated, not JSON, nested a hundred thousand levels deep). Every body is valid
UTF-8, so it can be signed the way LINE signs."""

from __future__ import annotations

import json
import random
import string
from collections.abc import Iterator
from typing import Any

from tests.support import line_events as ev

MAX_EVENTS = 5

_TEXTS = [
    "粗大ごみの出し方",
    "住民票",
    "",
    " ",
    "職員と話したい",
    "AIに戻る",
    "ｼﾞｭｳﾐﾝﾋｮｳ",
    "\u202egnp.exe",
    "\x00\x1f\x7f",
    "\ud800",
    "\udfff\ud800",
    "😀" * 50,
    "あ" * 6000,
]
_POSTBACKS = [
    "a=faq&id=1",
    "a=faq&id=",
    "a=cat&name=ごみ&page=2",
    "a=cat&name=ごみ&page=-1",
    "a=cat&name=ごみ&page=99999999999999999999",
    "a=cats&page=0",
    "a=staff&src=menu",
    "a=back",
    "a=fb&id=1&h=1&s=20260401T000000000000-abcd",
    "a=fb&id=1&h=2&s=../../etc",
    "a=%ZZ",
    "&&&==&",
    "a=faq&id=1&a=cat",
    "x" * 400,
]
_SCALARS: list[Any] = [
    None,
    True,
    0,
    -1,
    2**64,
    10**400,
    1.5,
    float("inf"),
    float("nan"),
    "",
    "\ud800",
    "U" + "0" * 32,
    "a" * 10_000,
]


def bodies(seed: int, count: int) -> Iterator[str]:
    """`count` bodies, the same for the same seed."""
    rng = random.Random(seed)
    for _ in range(count):
        yield body(rng)


def body(rng: random.Random) -> str:
    """One body: mostly LINE-shaped and mutated, sometimes not LINE's at all."""
    roll = rng.random()
    if roll < 0.03:
        return _deeply_nested(rng)
    if roll < 0.10:
        return _not_a_payload(rng)
    # Most events stay well-formed: one bad event makes the SDK refuse the whole body, and the
    # responder behind the parser deserves the fuzzing as much as the parser.
    events = [
        _mutated(rng, _event(rng)) if rng.random() < 0.3 else _event(rng)
        for _ in range(rng.randint(0, MAX_EVENTS))
    ]
    payload: Any = {"destination": ev.BOT_USER_ID, "events": events}
    if rng.random() < 0.1:
        payload = _mutated(rng, payload)
    # ensure_ascii keeps lone surrogates as \ud800 escapes: LINE's bytes are valid UTF-8.
    return json.dumps(payload, ensure_ascii=rng.random() < 0.5 or _has_surrogate(payload))


def _event(rng: random.Random) -> dict[str, Any]:
    token = rng.choice(["reply-token", "", "x" * 300, "トークン"])
    user = rng.choice([ev.TEST_USER_ID, "U" + "5" * 32, "", "\ud800"])
    kinds = [
        lambda: ev.text_event(rng.choice(_TEXTS), reply_token=token, user_id=user),
        lambda: ev.postback_event(rng.choice(_POSTBACKS), reply_token=token, user_id=user),
        lambda: ev.follow_event(reply_token=token, user_id=user),
        lambda: ev.unfollow_event(user_id=user),
        lambda: ev.sticker_event(reply_token=token, user_id=user),
        lambda: ev.image_event(reply_token=token, user_id=user),
        lambda: ev.location_event(reply_token=token, user_id=user),
        lambda: ev.unknown_event(reply_token=token),
        lambda: ev.text_event("グループで", source={"type": "group", "groupId": "C" + "1" * 32}),
    ]
    event = rng.choice(kinds)()
    # Ids from the seed (the builders count them), so a seed always gives the same bodies.
    event["webhookEventId"] = ev.event_id(rng.randrange(1, 2**40))
    if isinstance(event.get("message"), dict):
        event["message"]["id"] = str(rng.randrange(10**17, 10**18))
        event["message"].pop("quoteToken", None)
    return event


def _mutated(rng: random.Random, value: Any) -> Any:
    """The value with a few random changes somewhere inside it."""
    for _ in range(rng.randint(1, 2)):
        value = _mutate_once(rng, value)
    return value


def _mutate_once(rng: random.Random, value: Any) -> Any:
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        roll = rng.random()
        if roll < 0.3:
            return {k: v for k, v in value.items() if k != key}
        if roll < 0.4:
            return {**value, _word(rng): _random_value(rng, 2)}
        return {**value, key: _mutate_once(rng, value[key])}
    if isinstance(value, list) and value and rng.random() < 0.8:
        i = rng.randrange(len(value))
        return [*value[:i], _mutate_once(rng, value[i]), *value[i + 1 :]]
    return _random_value(rng, 3)


def _random_value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth <= 0 or roll < 0.6:
        return rng.choice([*_SCALARS, _word(rng), rng.choice(_TEXTS)])
    if roll < 0.8:
        return [_random_value(rng, depth - 1) for _ in range(rng.randint(0, 4))]
    return {_word(rng): _random_value(rng, depth - 1) for _ in range(rng.randint(0, 4))}


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_letters) for _ in range(rng.randint(1, 12)))


def _deeply_nested(rng: random.Random) -> str:
    depth = rng.choice([1_000, 10_000, 100_000])
    opening, closing = rng.choice([("[", "]"), ('{"events":', "}"), ('{"a":[', "]}")])
    return '{"events":[' + opening * depth + "1" + closing * depth + "]}"


def _not_a_payload(rng: random.Random) -> str:
    valid = json.dumps({"destination": ev.BOT_USER_ID, "events": [_event(rng)]})
    return rng.choice(
        [
            valid[: rng.randrange(len(valid))],  # cut short
            "",
            "null",
            "[]",
            '"events"',
            '{"events": null}',
            '{"events": {}}',
            '{"events": [null, 1, "x", []]}',
            "NaN",
            "{" * 50,
            "\ufeff" + valid,
            valid.replace('"', "'"),
            "".join(rng.choice(string.printable) for _ in range(rng.randint(1, 200))),
        ]
    )


def _has_surrogate(value: Any) -> bool:
    text = json.dumps(value, ensure_ascii=False)
    return any("\ud800" <= ch <= "\udfff" for ch in text)
