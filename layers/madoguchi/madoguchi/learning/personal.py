"""Personal data in what residents write: never learned, masked as ＊＊＊ in reports and mails.

Dropping a question costs little, keeping one would put a resident's details into every search
index after it, so the filter leans to dropping. It finds numbers (phone, マイナンバー, card,
account, postal code) in any script (０９０, 〇九〇, ٠٩٠), addresses (本町1-2-3, 一丁目2番3号),
dates of birth, e-mail addresses and names: with an honorific or a self-introduction always, and,
where Sudachi's dictionary is installed (the indexer, which learns, and local reports), any word
the dictionary calls a person's name (山田太郎). The webhook has no dictionary and masks by the
patterns alone.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import lru_cache
from typing import Any

MASK = "＊＊＊"

_KANJI_DIGITS = str.maketrans("〇零一壱二弐三参四五六七八九", "00112233456789")
_DASHES = "-‐‑‒–—―−ー－ｰ─━"
# Between the digit groups of one number: dashes, spaces, dots, brackets, の (〇九〇の一二三四).
_SEP = r"[-\s.()の]{1,3}"
_NUMBER = re.compile(rf"\d+(?:{_SEP}\d+)*")
# What may follow a number that is an amount, a count or a size, not someone's number.
_UNIT = re.compile(
    r"\s*(円|万|億|千|人|件|回|個|枚|台|本|冊|頭|匹|歳|才|%|ml|cc|kg|g\b|m\b|平米|坪)"
)
_YEAR = re.compile(r"\s*年")
_RECENT_DATE = re.compile(r"20(1[6-9]|[2-9]\d)\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?")

_PATTERNS = (
    re.compile("〒"),
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)*"),  # e-mail addresses (＠ is @ after NFKC)
    re.compile(r"https?://[^\s「」\"')]*|www\.[^\s「」\"')]*", re.I),  # links may carry an id
    re.compile(r"@|https?:|アットマーク|あっとまーく|\((at|アット)\)|\[at\]", re.I),
    re.compile(r"\b[a-z0-9-]+\.(com|net|org|jp|info|biz|me|io)\b", re.I),
    # Self-introductions (私は山田です, 名前は…); 私は引っ越します names nobody.
    re.compile(
        r"(私|わたし|ワタシ|わたくし|僕|ぼく|ボク|俺|おれ|オレ|あたし|自分)(は|わ|、)\s*"
        r"[\u4e00-\u9fff々ァ-ヶーぁ-ん]{1,8}?(です|でございます|と申し|といい|と言い|だ[。よ]?$|。|$)"
    ),
    re.compile(r"(お?名前|氏名|なまえ)(は|:)[^。!?\n]*"),
    re.compile(r"[^\s、。,]{0,10}(と申します|といいます|と言います|ともうします|もうします)"),
    # A name with an honorific (田中さん, 佐藤様, さくらちゃん); role words are removed first.
    re.compile(
        r"[\u4e00-\u9fff々ァ-ヶー]{1,8}\s*(さん|様|さま(?!で)|氏(?!名)|殿)"
        r"|[\u4e00-\u9fff々ァ-ヶーぁ-ん]{2,8}\s*(くん(?![だで])|君|ちゃん)"
    ),
    # Addresses: 3丁目, 12番地, 2番3号, 101号室, 本町1-2, 1-2-3.
    re.compile(r"\d+\s*(丁目|番地|号室|号棟|番\s*\d+(\s*号)?)"),
    re.compile(r"[\u4e00-\u9fff々ヶ]\d+\s*[-の]\s*\d+([-の]\d+)?"),
    re.compile(r"\d+-\d+-\d+"),
    # Dates of birth: the words, a date said to be a birth, a full date of an earlier era.
    re.compile(r"(生年月日|誕生日|住所|電話番号|番号)[はが:\s]*\d[\d年月日./-]*"),
    re.compile(r"住所は[^。!?\n]*"),
    re.compile(r"(\d+\s*年\s*)?\d+\s*月\s*\d+\s*日?\s*(生まれ|生れ|産まれ|うまれ|生\b|生$)"),
    re.compile(r"(明治|大正|昭和|19\d\d)\s*\d*\s*年\s*(生まれ|生れ|産まれ|うまれ|生$)"),
    re.compile(
        r"(明治|大正|昭和|平成|[MTSH](?=\s*\d))\s*\d+\s*[年./-]\s*\d+\s*[月./-]\s*\d+",
        re.I,
    ),
    re.compile(r"(19\d\d|200\d|201[0-5])\s*[年./-]\s*\d+\s*[月./-]\s*\d+"),
)

# Honorific words that name a role, not a person (お父さんが亡くなった is asked every day).
_ROLE_WORDS = re.compile(
    "皆さん|皆様|みなさん|お客様|お客さん|お子さん|お子様|赤ちゃん|奥さん|奥様|旦那さん|ご主人様"
    "|お父さん|お母さん|お兄さん|お姉さん|お爺さん|お婆さん|お祖父さん|お祖母さん|娘さん|息子さん"
    "|妹さん|弟さん|お孫さん|お嫁さん|大家さん|お医者さん|業者さん|ケアマネさん|ヘルパーさん"
    "|職員さん|担当者様|担当の方|先生|お巡りさん|郵便屋さん|神様|仏様|王様|お疲れさま|お疲れ様"
    "|おばあちゃん|おじいちゃん|ばあちゃん|じいちゃん|あかちゃん|おかあちゃん|おとうちゃん"
    "|おねえちゃん|おにいちゃん|母ちゃん|父ちゃん|婆ちゃん|爺ちゃん|お嬢ちゃん|お嬢さん|坊ちゃん"
    "|ワンちゃん|わんちゃん|ネコちゃん|ねこちゃん|猫ちゃん|ニャンちゃん"
    # Trades and professions: 保健師さん, 植木屋さん (two kanji or more, so 土屋さん stays a name).
    r"|[\u4e00-\u9fff]{2,}(屋|師|士|員|医|官|係|手|業者)(さん|様|さま)"
)
# Without the dictionary (the webhook's mails): the commonest surnames followed by a given
# name in kanji (山田太郎, 吉田 恵子) or by です / と申します; not by a place suffix (千葉県).
_SURNAMES = (
    "佐藤|鈴木|高橋|田中|伊藤|渡辺|渡部|山本|中村|小林|加藤|吉田|山田|"
    "佐々木|山口|松本|井上|木村|斎藤|斉藤|清水|山崎|池田|橋本|阿部|石川|"
    "山下|中島|石井|小川|前田|岡田|長谷川|藤田|後藤|近藤|村上|遠藤|青木|"
    "坂本|福田|太田|西村|藤井|金子|岡本|藤原|中野|三浦|原田|中川|松田|"
    "竹内|小野|田村|中山|和田|石田|森田|上田|内田|柴田|酒井|宮崎|横山|"
    "高木|安藤|宮本|大野|小島|谷口|今井|工藤|高田|増田|丸山|杉山|村田|"
    "大塚|新井|小山|平野|藤本|河野|上野|野口|武田|松井|千葉|岩崎|菅原|"
    "木下|久保|佐野|野村|松尾|菊地|菊池|杉本|市川|古川|大西|島田|水野|"
    "桜井|高野|吉川|山内|西田|飯田|西川|小松|北村|安田|五十嵐|川口|平田|"
    "中田|久保田|服部|岩田|土屋|川崎|福島|本田|樋口|秋山|田口|永井|山中|"
    "中西|吉村|川上|石原|大橋|松岡|馬場|浜田|森本|星野|矢野|浅野"
)
_PLACE_SUFFIX = "県市町村区郡駅橋港線通台園院館寺社屋店病校局署課宮城島川山"
_SURNAME_NAME = re.compile(
    rf"({_SURNAMES})\s*([\u4e00-\u9fff々]{{1,3}}(?<![{_PLACE_SUFFIX}])(?![\u4e00-\u9fff])"
    r"|(?=です|と申し|といい|と言い))"
)
_KANJI = re.compile(r"[\u4e00-\u9fff々]")
_KATAKANA = re.compile(r"[ァ-ヶー]+")


def _plain(text: str, *, digits: bool = True) -> str:
    """The text with one character per character of the input, so spans map back: NFKC where it
    keeps one character, kanji digits and every script's digits as 0-9, dashes as '-'."""
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char)
        char = folded if len(folded) == 1 else char
        if char.isdigit() and not char.isascii():
            value = unicodedata.digit(char, None)
            char = str(value) if value is not None else char
        out.append("-" if char in _DASHES else char)
    joined = "".join(out)
    return joined.translate(_KANJI_DIGITS) if digits else joined


def _number_spans(plain: str) -> list[tuple[int, int]]:
    """Numbers of 4+ digits that are not a year (2025年, 2025/10/15) or an amount, count or size
    (3000円)."""
    spans = []
    for match in _NUMBER.finditer(plain):
        digits = sum(c.isdigit() for c in match.group())
        if digits < 4:
            continue
        after = plain[match.end() :]
        single = match.group().isdigit()
        date = _RECENT_DATE.match(plain, match.start())
        if date and date.end() >= match.end():
            continue  # a date of these years is a deadline or a collection day, not a birth
        if single and digits == 4 and _YEAR.match(after) and match.group()[:2] in ("19", "20"):
            continue
        if single and digits <= 7 and _UNIT.match(after):
            continue
        spans.append(match.span())
    return spans


@lru_cache(maxsize=1)
def _tokenizer() -> Any | None:
    """Sudachi's tokenizer (the indexer's dictionary), or None where it is not installed."""
    if importlib.util.find_spec("sudachipy") is None:  # the webhook: patterns alone, no warning
        return None
    from madoguchi.search.reading import sudachi_tokenizer

    return sudachi_tokenizer()


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Words Sudachi tags as a person's name: with kanji and two characters or more (山田, 太郎),
    or any name beside another name (ヤマダ タロウ, 林 健). Lone kana or single kanji are often
    misread words (しの, 練), so they count only as part of a full name."""
    tokenizer = _tokenizer()
    assert tokenizer is not None
    morphemes = list(tokenizer.tokenize(text))
    named = [m.part_of_speech()[:3] == ("名詞", "固有名詞", "人名") for m in morphemes]
    spans = []
    for i, morpheme in enumerate(morphemes):
        if not named[i]:
            continue
        surface = morpheme.surface()
        paired = (i > 0 and named[i - 1]) or (i + 1 < len(named) and named[i + 1])
        strong = len(surface) >= 2 and bool(_KANJI.search(surface))
        if strong or (paired and (_KANJI.search(surface) or _KATAKANA.fullmatch(surface))):
            spans.append((morpheme.begin(), morpheme.end()))
    return spans


def personal_spans(text: str, *, dictionary: bool = True) -> list[tuple[int, int]]:
    """Where the text may name or reach a person, as sorted, merged (start, end) spans;
    `dictionary` uses Sudachi's person names when it is installed."""
    return list(_spans(text or "", dictionary))


# Residents ask the same questions again and again: mining a month of log reads each once.
@lru_cache(maxsize=16_384)
def _spans(text: str, dictionary: bool) -> tuple[tuple[int, int], ...]:
    if not text:
        return ()
    plain = _ROLE_WORDS.sub(lambda m: " " * len(m.group()), _plain(text))
    spans = _number_spans(plain)
    spans += [m.span() for pattern in _PATTERNS for m in pattern.finditer(plain) if m.group()]
    names = _name_spans(text) if dictionary and _tokenizer() is not None else None
    if names is None:
        letters = _plain(text, digits=False)  # 一郎 stays a name here
        names = [m.span() for m in _SURNAME_NAME.finditer(letters)]
    spans += names
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def has_personal_data(text: str, *, dictionary: bool = True) -> bool:
    """True when the text may name or reach a person (a number, address, birth date, e-mail,
    name…)."""
    return bool(personal_spans(text, dictionary=dictionary))


def mask_personal(text: str, *, dictionary: bool = True) -> str:
    """The text with every possible piece of personal data replaced by ＊＊＊."""
    spans = personal_spans(text, dictionary=dictionary)
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], MASK]
        last = end
    out.append(text[last:])
    return "".join(out)
