"""Typed phrases that ask for a person, or ask to go back to the automatic answers."""

from __future__ import annotations

import re
import unicodedata

# Longer messages are real questions that happen to mention staff ("職員に相談する窓口の場所は?");
# they go to the search instead of starting a hand-over.
_MAX_PHRASE_LENGTH = 24

_WHO = (
    r"(?:職員|しょくいん|人間|ひと|人|担当者?|担当の(?:方|かた|人)|係の(?:方|人)|窓口の(?:方|人)"
    r"|スタッフ|オペレーター)"
)
_VIA = r"(?:さん|の方|のかた)?(?:と|に|へ|で|を)?"
_WANT = r"(?:話|はな|相談|そうだん|つな|繋|代わ|かわ|代われ|対応|呼ん|よん|お願い|おねがい|頼)"
_STAFF_PATTERNS = (
    re.compile(_WHO + _VIA + _WANT),
    re.compile(r"(?:オペレーター|有人対応|有人チャット|職員対応|職員に相談)"),
)
_BOT = r"(?:ai|bot|ボット|ぼっと|自動応答|自動|じどう|チャットボット|機械|きかい)"
_BACK_PATTERNS = (
    re.compile(_BOT + r"(?:に|へ)?(?:戻|もど)"),
    re.compile(_BOT + r"(?:で|に)(?:いい|ok|大丈夫|だいじょうぶ)"),
)
# While staff have the conversation, a short message that only says "back" or names the bot is a
# request to go back: the whole message must be one of these, so a sentence still goes to staff.
_RETURN = r"(?:戻|もど)(?:る|ります|りたい|りたいです|して|してください|って|ろう|れる)?"
_WHILE_WITH_STAFF = re.compile(
    rf"(?:{_RETURN}"
    rf"|{_BOT}(?:で|に|へ|と)?(?:{_RETURN}|お願いします|おねがいします|して|してください"
    r"|話したい|はなしたい|でいい|でいいです)?"
    r"|終了|しゅうりょう|終わり|おわり|終わります|おわります|キャンセル|きゃんせる|やめる|やめます)"
)


def normalize_phrase(text: str) -> str:
    """NFKC, lower case, and no spaces or punctuation, so "ＡＩに 戻る！" equals "aiに戻る"."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if ch == "ー" or unicodedata.category(ch)[0] not in "PZSC")


def asks_for_staff(text: str) -> bool:
    """True when a short message asks to talk to a person (職員と話したい, オペレーター, …)."""
    phrase = normalize_phrase(text)
    if not phrase or len(phrase) > _MAX_PHRASE_LENGTH:
        return False
    return any(p.search(phrase) for p in _STAFF_PATTERNS)


def asks_to_return(text: str, *, with_staff: bool = False) -> bool:
    """True when the resident asks to go back to the automatic answers (AIに戻る, …); while
    with staff, short words alone do too (もどる, 戻りたい, AI, ボット, 自動で, 終わり …)."""
    phrase = normalize_phrase(text)
    if not phrase or len(phrase) > _MAX_PHRASE_LENGTH:
        return False
    if with_staff and _WHILE_WITH_STAFF.fullmatch(phrase):
        return True
    return any(p.search(phrase) for p in _BACK_PATTERNS)
