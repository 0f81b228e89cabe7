"""Topic words: a message that is only a topic (「ごみ」「子育て」「年金」) names a group of FAQs,
not one question, so it is offered that group to choose from instead of a guessed answer.

A message is a topic when, once phrases such as について・教えて are set aside, it is one or two
words with no question in it (no どこ, いつ, したい …), and those words are a カテゴリ's name
(or a part of one: 年金 in 国保・年金), a キーワード of several FAQs, or shared by the question
side (質問, 言い換え, キーワード, カテゴリ) of at least MIN_SHARED FAQs. Pure: the index passes
what it knows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from madoguchi.model import Faq
from madoguchi.search.normalize import fold_kana, strip_boilerplate, surface
from madoguchi.search.reading import READING_PREFIX
from madoguchi.search.tokenize import BIGRAM_PREFIX, RECALL_ONLY

# Longer messages say more than a topic, even without a question word.
MAX_TOPIC_CHARS = 10
MAX_TOPIC_WORDS = 2
# The FAQs of a topic read for its reply (the reply lists fewer; a category can hold thousands).
MAX_LISTED = 12
# FAQs whose question side holds every word: fewer is a question about those FAQs, not a topic.
MIN_SHARED = 3
# FAQs that list the words as a キーワード: staff naming a word on several FAQs made it a topic.
MIN_KEYWORD = 2
# Words that make a message a question (where, when, what, how much, a wish, a verb ending …),
# in hiragana or kanji as they are typed (katakana words such as マイナンバー hold なん).
_ASKING = re.compile(
    "どこ|いつ|なに|何|なん|どう|どれ|どの|いくら|だれ|誰|なぜ|いくつ|何時|何曜|方法|やり方|"
    "仕方|かた$|たい|ほしい|欲しい|ます|です|ない|なくし|した|して|しま|れる|られ|できる|"
    "できま|する|したら|すれば|ったら|だった|ちゃ|か$"
)
# A topic said with a little more around it: 「ごみのこと」「年金関係」「子育てとか」.
_TOPIC_TAIL = re.compile("(の?(こと|事|関係|関連|全般|件)|とか|って|は|について|のみ)+$")
_NOT_WORD = (BIGRAM_PREFIX, READING_PREFIX, *RECALL_ONLY)
_CATEGORY_PARTS = re.compile("[・/／、,，&＆]|および|及び|と")


def topic_text(text: str) -> str | None:
    """The message as a topic (surface form, boilerplate and topic tails removed), or None when
    it is too long or asks something."""
    core = strip_boilerplate(surface(text or "")).replace(" ", "")
    core = _TOPIC_TAIL.sub("", core)
    if not core or len(core) > MAX_TOPIC_CHARS or _ASKING.search(core):
        return None
    return core


def words_of(text: str, terms: Callable[[str], Sequence[str]]) -> tuple[str, ...]:
    """The whole words among an analyzer's terms (no bigrams, readings or recall-only terms)."""
    return tuple(dict.fromkeys(t for t in terms(text) if not t.startswith(_NOT_WORD)))


def category_of(
    words: tuple[str, ...], categories: Iterable[str], terms: Callable[[str], Sequence[str]]
) -> tuple[str, bool] | None:
    """The category these words name, and whether they are its whole name rather than one of
    its parts (年金 of 国保・年金)."""
    wanted = set(words)
    for name in categories:
        if set(words_of(name, terms)) == wanted:
            return name, True
        parts = [p for p in _CATEGORY_PARTS.split(name) if p.strip()]
        if any(set(words_of(part, terms)) == wanted for part in parts):
            return name, False
    return None


def shared_by(postings: Sequence[np.ndarray]) -> np.ndarray:
    """FAQ positions found for every word (the intersection of their postings)."""
    if not postings:
        return np.zeros(0, dtype=np.int64)
    found = np.asarray(postings[0], dtype=np.int64)
    for more in postings[1:]:
        found = np.intersect1d(found, np.asarray(more, dtype=np.int64))
    return found


def keyword_faqs(text: str, keywords: Mapping[str, Sequence[int]]) -> Sequence[int]:
    """FAQ positions that list this exact text as a キーワード (kana folded)."""
    return keywords.get(keyword_key(text), ())


def keyword_map(faqs: Sequence[Faq]) -> dict[str, list[int]]:
    """The キーワード that at least MIN_KEYWORD of these FAQs list, with their positions: built
    with the index, so a topic lookup never reads every FAQ."""
    found: dict[str, list[int]] = {}
    for position, faq in enumerate(faqs):
        for word in dict.fromkeys(keyword_key(w) for w in faq.keywords):
            if word:
                found.setdefault(word, []).append(position)
    return {word: found[word] for word in sorted(found) if len(found[word]) >= MIN_KEYWORD}


def keyword_key(text: str) -> str:
    """The form キーワード are compared in: 「ゴミ袋」 = 「ごみ袋」."""
    return fold_kana(surface(text or "")).replace(" ", "")


def most_viewed_first(
    positions: Iterable[int], views: Mapping[int, int], ranked: Sequence[int] = ()
) -> list[int]:
    """Positions ordered by views (most first), then by `ranked` order, then workbook order."""
    order = {position: i for i, position in enumerate(ranked)}
    unique = dict.fromkeys(int(p) for p in positions)
    return sorted(unique, key=lambda p: (-views.get(p, 0), order.get(p, len(order)), p))
