"""Questions that may hold personal data are never learned: dropping one costs little, keeping
one would put a resident's details into every search index after it."""

from __future__ import annotations

import re
import unicodedata

# After NFKC, so full-width digits, ＠ and ー-like dashes are already plain.
_DASH = "-‐‑‒–—―−ー"
_PATTERNS = (
    re.compile(r"\d{5,}"),  # long digit runs: phone, account, My Number, card numbers
    re.compile(rf"\d{{2,5}}[{_DASH}\s()]+\d{{1,4}}[{_DASH}\s()]+\d{{3,4}}"),  # phone numbers
    re.compile(rf"\d{{3}}[{_DASH}]\d{{4}}"),  # postal codes 123-4567
    re.compile(r"〒"),
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)*"),  # e-mail addresses
    re.compile(r"@|https?:|www\."),
    # Self-introductions: a name may follow 私は / 僕は / 名前は …; such questions are dropped.
    re.compile(
        r"(私|わたし|ワタシ|わたくし|僕|ぼく|ボク|俺|おれ|オレ|あたし|うち|自分|本人|名前|氏名|なまえ)"
        r"(は|わ|が|、|,|の名前|の名)"
    ),
    re.compile(r"と申します|といいます|と言います|もうします"),
    # A name with an honorific (田中さん, 佐藤様); words such as お父さん are removed first.
    re.compile(r"[\u4e00-\u9fffァ-ヶ]\s*(さん|様|さま|くん|君|ちゃん|氏|殿)"),
    # Addresses and dates of birth.
    re.compile(r"\d+\s*(丁目|番地|号室|番\d|号棟)"),
    re.compile(r"生年月日|誕生日|住所は|電話番号は|番号は\d"),
)


# Honorific words that name a role, not a person (お父さんが亡くなった is asked every day).
_ROLE_WORDS = re.compile(
    "皆さん|皆様|みなさん|お客様|お客さん|お子さん|お子様|赤ちゃん|奥さん|奥様|旦那さん|ご主人様"
    "|お父さん|お母さん|お兄さん|お姉さん|お爺さん|お婆さん|お祖父さん|お祖母さん|娘さん|息子さん"
    "|妹さん|弟さん|お孫さん|お嫁さん|大家さん|お医者さん|業者さん|ケアマネさん|ヘルパーさん"
)


def has_personal_data(text: str) -> bool:
    """True when the text may name or reach a person (phone, e-mail, postal code, a name…)."""
    normal = _ROLE_WORDS.sub(" ", unicodedata.normalize("NFKC", text or ""))
    return any(pattern.search(normal) for pattern in _PATTERNS)
