"""A resident in danger who writes in another language: the plainest ways of saying it in the
languages Madoguchi speaks, reviewed like code.

Far fewer than the Japanese rules (rules.py): the words a person in distress is most likely to
type (want to die, kill myself, suicide; someone will kill me, help me in a cry; violence from a
partner, domestic violence). Each pattern reads the message in lower case, Latin letters also
without accents (residents often type none), and fires anywhere in it. Everyday requests for help
("can you help me find…", Indonesian "tolong" = please, Tagalog "tulong", Portuguese "auxílio" and
"pronto-socorro") fire only as a whole cry or are left out on purpose;
so are words that are ordinary without their accents (Vietnamese "tu tu" is also "slowly").
Checked against every question of the multilingual search sets (none fires) in
tests/unit/test_crisis_foreign.py.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from madoguchi.crisis.kinds import CrisisKind

K = CrisisKind

# (kind, pattern): patterns over the lower-cased text with spaces kept.
RULES: tuple[tuple[CrisisKind, str], ...] = (
    # English
    (K.SUICIDE, r"\b(?:kill(?:ing)? my ?self|(?:want|wanna|going) (?:to )?die|suicid(?:e|al))"),
    (
        K.SUICIDE,
        r"\b(?:end(?:ing)? my life|take my (?:own )?life|don'?t want to (?:live|be alive))",
    ),
    (K.SUICIDE, r"\b(?:hurt(?:ing)?|cut(?:ting)?) my ?self\b|\bself[- ]harm"),
    (
        K.DANGER,
        r"\b(?:(?:going|gonna|trying|wants?) to kill me|will kill me|(?:is|are) attacking me)",
    ),
    (K.DANGER, r"^\W*(?:please )?help(?: me)?\W*$|\bsomeone (?:is )?(?:breaking|broke) in"),
    (
        K.DV,
        r"\bdomestic (?:violence|abuse)|\bmy (?:husband|wife|boyfriend|girlfriend|partner)"
        r" (?:hits|beats|kicks|chokes|hurts|threatens) me",
    ),
    (K.CHILD_ABUSE, r"\bchild abuse\b"),
    # Vietnamese (with and without accents where the bare form means nothing else)
    (K.SUICIDE, r"muốn chết|muon chet|tự tử|tự sát|không muốn sống|khong muon song"),
    (K.DANGER, r"cứu tôi|cứu với|cuu toi|cuu voi|giết tôi|giet toi"),
    (K.DV, r"bạo lực gia đình|bao luc gia dinh|chồng (?:tôi )?(?:đánh|đập)|chong (?:toi )?danh"),
    # Chinese
    (K.SUICIDE, r"想死|自杀|不想活|轻生"),  # 自殺: the Japanese rules read it
    (K.DANGER, r"救救我|杀了我|要杀我"),  # 救命 alone: also 救命講習 in Japanese
    (K.DV, r"家暴|家庭暴力|(?:老公|丈夫|男朋友)打我"),
    # Korean
    (K.SUICIDE, r"죽고 ?싶|자살|살고 ?싶지 ?않"),
    (K.DANGER, r"살려 ?주세요|살려줘|죽일 ?거|죽이려"),
    (K.DV, r"가정 ?폭력|(?:남편|남자친구)(?:이|가) (?:저를 |나를 )?때"),
    # Portuguese
    (K.SUICIDE, r"quero morrer|me matar|suicidio|nao quero (?:mais )?viver"),
    (K.DANGER, r"^\W*socorro\b|vai me matar|(?:querem|quer) me matar"),
    (K.DV, r"violencia domestica|(?:meu marido|meu namorado|minha esposa) me (?:bate|agride)"),
    # Spanish
    (K.SUICIDE, r"quiero morir|matarme|suicid|no quiero vivir"),
    (K.DANGER, r"^\W*(?:socorro|auxilio)\b|me va a matar|me quiere matar"),
    (
        K.DV,
        r"violencia (?:domestica|familiar)|mi (?:esposo|marido|pareja|novio) me (?:pega|golpea)",
    ),
    # Tagalog
    (K.SUICIDE, r"gusto ko (?:nang |na )?mamatay|magpakamatay"),
    (K.DANGER, r"saklolo|tulungan (?:ninyo|niyo|nyo|mo) ako|papatayin (?:niya |nila )?ako"),
    (K.DV, r"(?:sinasaktan|binubugbog) ako ng (?:asawa|partner|boyfriend)"),
    # Indonesian
    (K.SUICIDE, r"ingin mati|mau mati|bunuh diri|tidak (?:ingin|mau) hidup|gak mau hidup"),
    (K.DANGER, r"tolong saya|(?:mau|akan|ingin) membunuh saya"),
    (K.DV, r"\bkdrt\b|kekerasan dalam rumah tangga|suami(?: saya)? (?:memukul|menyiksa)"),
    # Nepali
    (K.SUICIDE, r"मर्न मन|आत्महत्या|बाँच्न मन छैन"),
    (K.DANGER, r"बचाउनुहोस्|बचाऊ|मलाई मार्छ"),
    (K.DV, r"घरेलु हिंसा|श्रीमान(?:ले)? (?:मलाई )?कुट"),
)


def _plain(text: str) -> str:
    """Lower case; Latin letters also without accents (the other scripts as they are)."""
    lowered = unicodedata.normalize("NFC", text.casefold())
    kept: list[str] = []
    for c in unicodedata.normalize("NFD", lowered):
        if unicodedata.combining(c) and kept and kept[-1].isascii():
            continue
        kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept)).replace("đ", "d")


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[CrisisKind, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(pattern)) for kind, pattern in RULES)


def foreign_kinds(text: str) -> set[CrisisKind]:
    """The kinds of danger the message says in another language."""
    written = " ".join(unicodedata.normalize("NFC", text.casefold()).split())
    plain = " ".join(_plain(text).split())
    return {
        kind for kind, pattern in _compiled() if pattern.search(written) or pattern.search(plain)
    }
