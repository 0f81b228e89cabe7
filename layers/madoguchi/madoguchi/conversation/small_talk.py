"""Messages that are not questions: thanks, hello, "I see", a lone "?". They get a short kind
reply from the 設定 sheet instead of a search that would say nothing was found."""

from __future__ import annotations

import enum
import re

from madoguchi.handover.phrases import normalize_phrase
from madoguchi.language import texts
from madoguchi.line import messages
from madoguchi.model import BotSettings

# Whole messages only (after normalize_phrase: no spaces, punctuation or emoji), so a question
# that starts with ありがとう or こんにちは is still searched.
_POLITE = r"(?:ございます|ございました|です|でした|ね|ねー|よ|ー|〜|~)*"
_PATTERNS = {
    "thanks": (
        r"(?:どうも|本当に|ほんとうに|ほんとに)?"
        r"(?:ありがと(?:う)?|有難う|有り難う|助かりました|助かります|たすかりました|たすかります"
        r"|サンキュー|さんきゅー|thanks|thankyou|thx|お世話になりました|おせわになりました"
        r"|さようなら|さよなら|バイバイ|ばいばい|またね|ではまた|どうも"
        # The same in the languages Madoguchi speaks (answered in that language).
        r"|thank(?:s|you)(?:verymuch|somuch|alot)?|cảmơn(?:bạn)?(?:nhiều)?|camon|谢谢(?:你|您)?"
        r"|多谢|감사합니다|고맙습니다|고마워요|(?:muito)?obrigad[oa]|(?:muchas)?gracias"
        r"|(?:maraming)?salamat(?:po)?|terimakasih(?:banyak)?|धन्यवाद)" + _POLITE
    ),
    "hello": (
        r"(?:こんにちは|こんにちわ|こんばんは|こんばんわ|おはよう|はじめまして|初めまして"
        r"|よろしく(?:お願いします|おねがいします)?|hello|hi|hey|もしもし"
        r"|good(?:morning|afternoon|evening)|xinchào|xinchao|chàobạn|你好|您好|안녕하세요"
        r"|olá|bomdia|boatarde|boanoite|hola|buen(?:os|as)(?:días|dias|tardes|noches)"
        r"|kumusta|magandang(?:umaga|hapon|gabi)|halo|selamat(?:pagi|siang|sore|malam)"
        r"|नमस्ते|नमस्कार)" + _POLITE
    ),
    "nod": (
        r"(?:すごい|すご|すばらしい|素晴らしい|なるほど|わかりました|分かりました|わかった|分かった"
        r"|了解(?:しました)?|りょうかい|承知しました|ok|okay|おk|おっけー|オッケー|はい|うん"
        r"|いいね|いいです|便利|べんり|さすが|w+|笑|草)" + _POLITE
    ),
    "unclear": r"(?:[ぁ-ゖァ-ヺー]|えっ|えー|あれ|へー|ふーん|うーん)",
}


class SmallTalk(enum.StrEnum):
    """What kind of message it was (also the `kind` of its search-log record)."""

    THANKS = "thanks"
    HELLO = "hello"
    NOD = "nod"
    UNCLEAR = "unclear"  # "?", an emoji, one kana: nothing to search for


_COMPILED = {SmallTalk(kind): re.compile(pattern) for kind, pattern in _PATTERNS.items()}


def small_talk(text: str) -> SmallTalk | None:
    """The kind of small talk a message is, or None for anything that may be a question."""
    if not text or not text.strip():
        return None  # blank: the usual "send words" hint
    phrase = normalize_phrase(text)
    if not phrase:
        return SmallTalk.UNCLEAR  # only punctuation, symbols or emoji
    for kind, pattern in _COMPILED.items():
        if pattern.fullmatch(phrase):
            return kind
    return None


_TEXTS = {
    SmallTalk.THANKS: texts.THANKS,
    SmallTalk.HELLO: texts.HELLO,
    SmallTalk.NOD: texts.NOD,
    SmallTalk.UNCLEAR: texts.UNCLEAR,
}


def reply_text(kind: SmallTalk, settings: BotSettings, language: str = "") -> str:
    """The 設定 sheet's reply for this kind (its default when the cell is empty); in the
    resident's `language`, its fixed text (「お礼への返事 (English)」 in 設定 first)."""
    if language:
        return texts.said(settings, language, _TEXTS[kind])
    template = {
        SmallTalk.THANKS: settings.thanks_reply,
        SmallTalk.HELLO: settings.hello_reply,
        SmallTalk.NOD: settings.nod_reply,
        SmallTalk.UNCLEAR: settings.unclear_reply,
    }[kind]
    return messages.fill(template, city_name=settings.city_name)
