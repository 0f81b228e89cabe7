"""Where is the nearest open shelter: the question read from a resident's words, the location
asked for with LINE's picker, and the shelters near the location the resident sent.

The location is used for this reply only: nothing here keeps or logs it (the search log gets
"shelter search" and how many shelters were shown, see Responder._shelters).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from linebot.v3.messaging import (
    LocationAction,
    LocationMessage,
    Message,
    QuickReply,
    QuickReplyItem,
)

from madoguchi.language import texts
from madoguchi.language.accents import without_accents
from madoguchi.line.messages import clip, fill, fixed_text, text_message
from madoguchi.model import BotSettings, Shelter
from madoguchi.shelters import Nearby, ShelterIndex

MAX_SHOWN = 5
MAX_QUESTION_LENGTH = 40  # a longer message about shelters is a question for the FAQ
LOCATION_LABEL = "位置情報を送る"
LOCATION_TEXT_LIMIT = 100  # a location message's title and address
_SHELTER_WORDS = (
    "避難所",
    "避難場所",
    "避難先",
    "ひなんじょ",
    "ひなんばしょ",
    "ひなん所",
    "ひなん場所",
    "逃げる場所",
    "にげる場所",
    "逃げ場所",
    "にげるばしょ",
)
# Words that ask where, or whether one is open; without one, a message about shelters (what to
# bring, pets, the difference of the words) is searched like any question.
_WHERE_WORDS = (
    "どこ",
    "何処",
    "近く",
    "ちかく",
    "近い",
    "ちかい",
    "最寄",
    "もより",
    "開いて",
    "開いと",
    "あいて",
    "開設",
    "地図",
    "場所を",
    "探し",
    "さがし",
    "教えて",
    "おしえて",
    "知りたい",
    "一覧",
)
_BARE = "?？!！。、 　"
# The same question in the languages Madoguchi speaks: a shelter word and a where word, both
# matched in lower case without accents (residents often type none).
_FOREIGN_SHELTER_WORDS = (
    "shelter",
    "evacua",  # evacuation, evacuate, evacuación, evacuação
    "refugio",
    "albergue",
    "abrigo",
    "so tan",
    "lanh nan",
    "避难",
    "대피",
    "pengungsian",
    "mengungsi",
    "lumikas",
    "आश्रय",
)
_FOREIGN_WHERE_WORDS = (
    "where",
    "near",
    "closest",
    "open",
    "donde",
    "cerca",
    "abierto",
    "onde",
    "perto",
    "aberto",
    " dau",
    "gan",
    "哪",
    "附近",
    "最近",
    "어디",
    "가까운",
    "근처",
    "saan",
    "malapit",
    "bukas",
    "mana",
    "dekat",
    "buka",
    "कहाँ",
    "नजिक",
)
MAX_FOREIGN_QUESTION_LENGTH = 80

ASK_LOCATION_TEXT = (
    "近くの避難所をお探しします。\n"
    "下の「位置情報を送る」を押して、いまいる場所を送ってください。\n"
    "(位置情報は避難所を探すためだけに使い、記録しません。)"
)
NONE_OPEN_TEXT = (
    "いま開設している避難所はありません。\n"
    "開設のお知らせは{city_name}から出します。近くの避難所・避難場所は次のとおりです"
    "(近い順)。"
)
OPEN_TEXT = "近くの、いま開設している避難所です(近い順)。"
CLOSING_TEXT = "道が危ないときは、無理に移動せず、近くの安全な場所(建物の上の階など)へ。"


def asks_for_shelter(text: str) -> bool:
    """True for a short message asking where a shelter is, or whether one is open."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded or len(folded) > MAX_QUESTION_LENGTH:
        return False
    words = [w for w in _SHELTER_WORDS if unicodedata.normalize("NFKC", w) in folded]
    if not words:
        return _asks_in_another_language(folded)
    bare = folded.strip(_BARE)
    return bare in words or any(w in folded for w in _WHERE_WORDS)


def _asks_in_another_language(text: str) -> bool:
    """A short question in another language naming a shelter and asking where (or if open)."""
    if len(text) > MAX_FOREIGN_QUESTION_LENGTH:
        return False
    plain = " " + without_accents(text.casefold())
    return any(w in plain for w in _FOREIGN_SHELTER_WORDS) and any(
        w in plain for w in _FOREIGN_WHERE_WORDS
    )


def location_request_messages(
    settings: BotSettings | None = None, language: str = ""
) -> list[Message]:
    """Ask for the resident's location with LINE's location picker (a quick reply)."""
    label = clip(fixed_text(settings, language, texts.LOCATION, LOCATION_LABEL), 20)
    asked = fixed_text(settings, language, texts.ASK_LOCATION, ASK_LOCATION_TEXT, location=label)
    picker = QuickReplyItem(action=LocationAction(label=label))
    return [text_message(asked, QuickReply(items=[picker]))]


@dataclass(frozen=True)
class ShelterReply:
    """The messages for one location, and how many shelters they show (for the search log)."""

    messages: list[Message]
    shown: int
    open_shown: int


def nearest_reply(
    shelters: ShelterIndex,
    latitude: float,
    longitude: float,
    *,
    settings: BotSettings,
    hazards: Sequence[str] = (),
    language: str = "",
) -> ShelterReply:
    """The nearest open shelters (those for the notice's hazards first), or, when none is
    open, the nearest designated ones said to be not open; the first also as a location.
    In another `language` the words around the shelters are in it (their names, addresses
    and hazards are the city's, in Japanese, which the heading says)."""
    if language:
        return _nearest_in_language(shelters, latitude, longitude, settings, hazards, language)
    found = shelters.nearest(latitude, longitude, MAX_SHOWN, open_only=True, hazards=hazards)
    opened = bool(found)
    if opened:
        lines = [OPEN_TEXT]
        if hazards and any(set(n.shelter.hazards) & set(hazards) for n in found):
            lines.append(f"いまのお知らせ({'・'.join(hazards)})に対応する避難所を先にしています。")
    else:
        found = shelters.nearest(latitude, longitude, MAX_SHOWN, hazards=hazards)
        lines = [fill(NONE_OPEN_TEXT, city_name=settings.city_name)]
    if not found:
        return ShelterReply([text_message(ASK_LOCATION_TEXT)], 0, 0)
    for number, nearby in enumerate(found, start=1):
        lines.append("")
        lines.append(_entry(number, nearby, hazards, show_state=not opened))
    lines += ["", CLOSING_TEXT]
    return _reply(lines, found, opened)


def _nearest_in_language(
    shelters: ShelterIndex,
    latitude: float,
    longitude: float,
    settings: BotSettings,
    hazards: Sequence[str],
    language: str,
) -> ShelterReply:
    """nearest_reply for a resident writing in another language."""
    found = shelters.nearest(latitude, longitude, MAX_SHOWN, open_only=True, hazards=hazards)
    opened = bool(found)
    if not opened:
        found = shelters.nearest(latitude, longitude, MAX_SHOWN, hazards=hazards)
    if not found:
        return ShelterReply(location_request_messages(settings, language)[:1], 0, 0)
    heading = texts.SHELTERS_OPEN if opened else texts.SHELTERS_NONE_OPEN
    lines = [texts.said(settings, language, heading)]
    for number, nearby in enumerate(found, start=1):
        shelter = nearby.shelter
        lines += ["", f"{number}. {shelter.name} ({distance_text(nearby.metres)})"]
        lines += [shelter.address] if shelter.address else []
        if shelter.hazards:
            named = "・".join(shelter.hazards)
            lines.append(texts.said(settings, language, texts.SHELTER_FOR, hazards=named))
        if hazards and not set(hazards) & set(shelter.hazards):
            named = "・".join(hazards)
            lines.append(texts.said(settings, language, texts.SHELTER_NOT_FOR, hazards=named))
        lines += [f"☎ {shelter.phone}"] if shelter.phone else []
        lines.append(map_url(shelter))
    lines += ["", texts.said(settings, language, texts.SHELTER_SAFETY)]
    return _reply(lines, found, opened)


def _reply(lines: list[str], found: Sequence[Nearby], opened: bool) -> ShelterReply:
    """The list as one text, and the nearest as a location message."""
    nearest = found[0].shelter
    location = LocationMessage(
        title=clip(nearest.name, LOCATION_TEXT_LIMIT),
        address=clip(nearest.address or nearest.name, LOCATION_TEXT_LIMIT),
        latitude=nearest.latitude,
        longitude=nearest.longitude,
    )
    return ShelterReply(
        [text_message("\n".join(lines)), location], len(found), len(found) if opened else 0
    )


def _entry(number: int, nearby: Nearby, hazards: Sequence[str], *, show_state: bool) -> str:
    shelter = nearby.shelter
    lines = [f"{number}. {shelter.name}(約{distance_text(nearby.metres)})"]
    if shelter.address:
        lines.append(shelter.address)
    if shelter.kinds:
        lines.append("種別: " + "・".join(k.value for k in shelter.kinds))
    if shelter.hazards:
        lines.append("対象: " + "・".join(shelter.hazards))
    missing = [h for h in hazards if h not in shelter.hazards]
    if hazards and len(missing) == len(hazards):
        lines.append(f"※{'・'.join(hazards)}のときの避難先には指定されていません。")
    if show_state:
        lines.append("状態: " + ("閉鎖" if shelter.open is False else "開設していません"))
    if shelter.phone:
        lines.append(f"電話: {shelter.phone}")
    lines.append(f"地図: {map_url(shelter)}")
    return "\n".join(lines)


def distance_text(metres: float) -> str:
    """「350m」 under a kilometre (to 10 m), else 「1.2km」."""
    if metres < 1000:
        return f"{max(10, round(metres / 10) * 10)}m"
    return f"{metres / 1000:.1f}km"


def map_url(shelter: Shelter) -> str:
    """A map of the shelter's place that any phone opens."""
    return (
        "https://www.google.com/maps/search/?api=1&query="
        f"{shelter.latitude:.6f},{shelter.longitude:.6f}"
    )
