"""Which language a resident's message is in, offline: by its script, then by its words.

Kana means Japanese. Hangul is Korean and Devanagari Nepali. Kanji alone are Japanese unless
characters only Chinese uses (这, 吗, 垃圾…) show it is Chinese. Latin letters are told apart by
small lists of each language's most frequent words and by its own letters (ư, đ, ñ, ã…). When
a message is too short to tell, the language of the resident's LINE profile decides.

No library was used: the candidates on PyPI either ship models of tens of megabytes or are
unreliable on a few words, and what must be told apart here is small and well known.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from madoguchi.language.codes import BY_CODE, EASY_JAPANESE

_KANA = re.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc\uff66-\uff9d]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_DEVANAGARI = re.compile("[\u0900-\u097f]")
_OTHER_SCRIPT = re.compile(  # Thai, Cyrillic, Arabic, Myanmar, Khmer, Sinhala, Bengali…
    "[\u0400-\u04ff\u0600-\u06ff\u0980-\u09ff\u0d80-\u0dff\u0e00-\u0e7f\u1000-\u109f\u1780-\u17ff]"
)
_LATIN_WORD = re.compile(r"[a-zA-Z\u00c0-\u024f\u1e00-\u1eff]+")
# Characters of written Chinese that Japanese does not use (simplified, and traditional forms
# Japanese replaced), and everyday Chinese words.
_CHINESE_ONLY = set(
    "这们么吗呢怎哪为办证书发电车东门问题时间护签领记户处费补务续码还应该个编丢营检查钱买卖"
    "开关从过进边难疗险业习儿贴报产妇孕"
    "這們麼嗎沒說對讓辦證發裡續簽你您谢"
)
_CHINESE_WORDS = ("垃圾", "什么", "怎么", "哪里", "可以", "需要", "我的", "我想", "的吗", "了吗")
_VIETNAMESE_LETTERS = set("ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The most frequent words of questions in each language (a word may count for several).
_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the how where what when can i my do does is are to get for of an need should who which"
        " in it me you please want there from with about have this lost if am much"
        " thank thanks hello morning"
    ),
    "pt": _words(
        "como onde quando posso eu meu minha os do da dos das não nao para que um uma preciso é"
        " com no na quero tem fazer qual sobre se pode lixo perdi meus minhas de sou estou vou"
        " acabei tirar saúde filho está comprar saco mudar imposto impostos cartão recebi ao"
        " prefeitura atestado vacinas obrigado obrigada olá"
    ),
    "es": _words(
        "cómo como dónde donde cuándo cuando puedo yo mi el la los las del de no para que un una"
        " necesito es con en quiero hay hacer cuál sobre se puede basura perdí mis me mudo hijo"
        " tiene estoy compro bolsas impuestos tarjeta recibí nació ayuda sacar ayuntamiento"
        " qué gracias hola buenos buenas"
    ),
    "tl": _words(
        "ang ng mga sa saan paano ako ko po ba ito na kailangan gusto ano kailan magkano nawala"
        " kumuha aking akin may hindi pwede puwede lang ni si yung para namin kami salamat"
        " kumusta magandang"
    ),
    "id": _words(
        "yang di dan saya bagaimana dimana apa untuk bisa ini ke cara mana kapan berapa ingin mau"
        " tidak dengan dari ada apakah harus perlu membuang sampah mendapatkan kartu hilang"
        " terima kasih halo selamat"
    ),
    "vi": _words(
        "tôi toi ở đâu dau làm lam thế nào nao của cua không khong được duoc cần muốn muon là gì"
        " gi cho và như bao nhiêu nhieu giấy giay rác rac ở đâu mất mat xin cam chao"
    ),
}
# Letters that belong to one language's spelling: each counts as much as two words.
_LETTERS = {"pt": set("ãõç"), "es": set("ñ¿¡")}
LATIN = frozenset(_WORDS)


@dataclass(frozen=True)
class Detected:
    """The language of a message: None for Japanese. Not `sure` when the resident's profile
    language could change it (ask again with the profile)."""

    language: str | None
    sure: bool


JAPANESE = Detected(None, True)


def detect(text: str, profile: str | None = None) -> Detected:
    """The message's language; `profile` (madoguchi.language.codes.from_profile) decides when
    the text is too short to tell."""
    text = unicodedata.normalize("NFC", text or "")
    if _KANA.search(text):
        return JAPANESE
    if _HANGUL.search(text):
        return Detected("ko", True)
    if _DEVANAGARI.search(text):
        return Detected("ne", True)
    if _HAN.search(text):
        if any(c in _CHINESE_ONLY for c in text) or any(w in text for w in _CHINESE_WORDS):
            return Detected("zh", True)
        return JAPANESE  # kanji alone (住民票 発行) are read as Japanese
    if _OTHER_SCRIPT.search(text):
        known = profile if profile in BY_CODE else EASY_JAPANESE
        return Detected(known, profile is not None)
    words = [w.casefold() for w in _LATIN_WORD.findall(text)]
    if not words:
        return JAPANESE  # emoji, digits, punctuation: nothing to tell
    language, score = _latin_language(text.casefold(), words)
    if score >= 2:
        return Detected(language, True)
    if profile in LATIN:
        return Detected(profile, True)
    if profile == "ja":
        return Detected(language, True) if score else JAPANESE
    told = profile is not None  # another language in the profile: the text alone tells
    if language or len(text.split()) >= 2:
        return Detected(language or "en", told)
    return Detected(None, told)  # one Latin word (PC, Wi-Fi): Japanese unless the profile says


def _latin_language(text: str, words: list[str]) -> tuple[str | None, float]:
    """The Latin-script language with the most evidence, and how much (0: none)."""
    scores = {
        code: float(sum(w in vocabulary for w in words)) for code, vocabulary in _WORDS.items()
    }
    if any(c in _VIETNAMESE_LETTERS for c in text):
        scores["vi"] += 3
    for code, letters in _LETTERS.items():
        if any(c in letters for c in text):
            scores[code] += 2
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top == 0 or top == second:
        return (best if top else None), 0.0 if top == 0 else 1.0
    return best, top - second + (1 if top >= 3 else 0)
