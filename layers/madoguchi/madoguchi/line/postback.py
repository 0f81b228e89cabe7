"""Postback data: what a tapped button asks for, encoded in LINE's 300-character `data` field."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from urllib.parse import unquote

from madoguchi.language.texts import LANGUAGE_CODES

MAX_DATA_LENGTH = 300  # LINE rejects postback data longer than this

# Only the characters that would break `key=value&...` parsing are escaped, so Japanese category
# names stay one character each instead of nine (`%E7%B2%97`) and fit the 300-character limit.
_ESCAPES = {"%": "%25", "&": "%26", "=": "%3D", "\n": "%0A", "\r": "%0D"}


class Source(enum.StrEnum):
    """Where a tapped button was: counted in the staff report, so every tap says where it came
    from. The values travel in postback data; "" (older buttons) means unknown."""

    CANDIDATE = "candidate"  # "ほかの候補" under an answer
    CHOICE = "choice"  # one of the questions offered when the search was unsure
    MENU = "menu"  # the rich menu
    CATEGORY = "category"  # a category's list of questions
    BUTTON = "button"  # a quick reply under a reply (categories, 職員に相談)
    OFFER = "offer"  # 職員に相談 offered after answers were not found twice
    FEEDBACK = "feedback"  # 職員に相談 after 役に立たなかった
    CRISIS = "crisis"  # 職員に相談 under the consultation lines given to a resident in danger
    TOPIC = "topic"  # a question listed for a message that only named a topic


FAQ_SOURCES = frozenset(
    {Source.CANDIDATE, Source.CHOICE, Source.MENU, Source.CATEGORY, Source.TOPIC}
)
CATEGORY_SOURCES = frozenset({Source.MENU, Source.BUTTON})
STAFF_SOURCES = frozenset(
    {Source.MENU, Source.BUTTON, Source.OFFER, Source.FEEDBACK, Source.CRISIS}
)


@dataclass(frozen=True)
class ShowFaq:
    """Show one FAQ's answer; `source` says which list or button it was tapped in."""

    faq_id: str
    source: str = ""
    language: str = ""  # the resident wrote in this language: its translation when there is one


@dataclass(frozen=True)
class ListCategory:
    """List the questions of one category, a page at a time."""

    name: str
    page: int = 1
    source: str = ""  # "menu" or "button" on the first page; later pages say nothing
    language: str = ""  # the resident's language: the list's words and translations in it


@dataclass(frozen=True)
class ListCategories:
    """List the categories themselves, a page at a time."""

    page: int = 1
    language: str = ""


@dataclass(frozen=True)
class AskStaff:
    """The resident asks to talk to a member of staff; `source` says which offer they took."""

    source: str = ""  # a Source value ("" from buttons older than the sources)
    language: str = ""  # the resident wrote in this language: say it in that one too


@dataclass(frozen=True)
class Feedback:
    """役に立った (helpful) or 役に立たなかった under an answer, from the search it came from."""

    faq_id: str
    helpful: bool
    search_id: str = ""
    language: str = ""  # the answer was read in this language: the thanks in it too


@dataclass(frozen=True)
class BackToBot:
    """End the hand-over: automatic answers again."""

    language: str = ""  # the hand-over was in this language: say it is over in it too


Postback = ShowFaq | ListCategory | ListCategories | AskStaff | Feedback | BackToBot


class PostbackTooLong(ValueError):
    """The encoded data would exceed LINE's postback limit."""


def _escape(value: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in value)


def _join(pairs: list[tuple[str, str]]) -> str:
    data = "&".join(f"{key}={_escape(value)}" for key, value in pairs)
    if len(data) > MAX_DATA_LENGTH:
        raise PostbackTooLong(f"postback data is {len(data)} characters; LINE allows 300")
    return data


def encode(postback: Postback) -> str:
    """Encode a postback as `a=...&...`; raise PostbackTooLong past LINE's limit."""
    language = getattr(postback, "language", "")
    return _join(_pairs(postback) + ([("l", language)] if language else []))


def _pairs(postback: Postback) -> list[tuple[str, str]]:
    match postback:
        case ShowFaq(faq_id, source):
            pairs = [("a", "faq"), ("id", faq_id)]
            return pairs + ([("src", source)] if source else [])
        case ListCategory(name, page, source):
            pairs = [("a", "cat"), ("name", name)]
            if page > 1:
                pairs.append(("p", str(page)))
            return pairs + ([("src", source)] if source else [])
        case ListCategories(page):
            return [("a", "cats"), ("p", str(page))] if page > 1 else [("a", "cats")]
        case AskStaff(source):
            return [("a", "staff"), ("src", source)] if source else [("a", "staff")]
        case Feedback(faq_id, helpful, search_id):
            pairs = [("a", "fb"), ("id", faq_id), ("v", "1" if helpful else "0")]
            return pairs + ([("s", search_id)] if search_id else [])
        case BackToBot():
            return [("a", "bot")]
    raise TypeError(f"not a postback: {postback!r}")


def _page(raw: str | None) -> int | None:
    if raw is None:
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 4:
        return None
    page = int(raw)
    return page if page >= 1 else None


def _known(source: str, allowed: frozenset[Source]) -> bool:
    return not source or source in allowed


def decode(data: str | None) -> Postback | None:
    """Decode postback data; anything unknown, garbled or oversized gives None, never an error."""
    if not data or not isinstance(data, str) or len(data) > MAX_DATA_LENGTH:
        return None
    fields: dict[str, str] = {}
    for part in data.split("&"):
        key, sep, value = part.partition("=")
        if not sep or key in fields:
            return None
        try:
            fields[key] = unquote(value, errors="strict") if "%" in value else value
        except UnicodeDecodeError:
            return None
    action = fields.pop("a", None)
    source = fields.get("src", "")
    language = fields.pop("l", "")
    if language not in LANGUAGE_CODES:
        language = ""  # a language no longer spoken: the Japanese text
    if action == "faq" and {"id"} <= set(fields) <= {"id", "src"} and fields["id"].strip():
        return ShowFaq(fields["id"], source, language) if _known(source, FAQ_SOURCES) else None
    if action == "cat" and set(fields) <= {"name", "p", "src"} and fields.get("name", "").strip():
        page = _page(fields.get("p"))
        if not page or not _known(source, CATEGORY_SOURCES):
            return None
        return ListCategory(fields["name"], page, source, language)
    if action == "cats" and set(fields) <= {"p"}:
        page = _page(fields.get("p"))
        return ListCategories(page, language) if page else None
    if action == "staff" and set(fields) <= {"src"}:
        return AskStaff(source, language) if _known(source, STAFF_SOURCES) else None
    if action == "fb" and {"id", "v"} <= set(fields) <= {"id", "v", "s"} and fields["id"].strip():
        if fields["v"] not in ("0", "1"):
            return None
        return Feedback(fields["id"], fields["v"] == "1", fields.get("s", ""), language)
    if action == "bot" and not fields:
        return BackToBot(language)
    return None
