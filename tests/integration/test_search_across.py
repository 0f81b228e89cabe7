"""Questions in other languages against the sample workbook, with the real e5 engine: found by
meaning across languages, and closer still where the sample has the city's translation."""

from dataclasses import replace

import pytest

from madoguchi.conversation.search_reply import ReplyKind, decide
from madoguchi.search import SearchIndex, build_index
from madoguchi.search.across import QUESTION_CHARS
from madoguchi.search.glossary import built_in
from madoguchi_dev.e5 import DiskCachedEmbedder, LocalE5, engine_problem
from tests.support.sample_workbook import sample_workbook

PROBLEM = engine_problem()
pytestmark = pytest.mark.skipif(
    PROBLEM is not None, reason=f"the e5 engine cannot run here: {PROBLEM}"
)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    built = build_index(sample_workbook(), embedder=DiskCachedEmbedder(LocalE5()))
    return SearchIndex.from_bytes(built.to_bytes(), embedder=LocalE5())


@pytest.fixture(scope="module")
def untranslated() -> SearchIndex:
    workbook = sample_workbook()
    faqs = tuple(replace(f, translations=()) for f in workbook.faqs)
    return build_index(replace(workbook, faqs=faqs), embedder=DiskCachedEmbedder(LocalE5()))


@pytest.mark.parametrize(
    ("question", "language", "faq_id"),
    [
        ("Where is the evacuation shelter?", "en", "233"),
        ("避难所在哪里？", "zh", "233"),
        ("Rác cháy được vứt vào ngày nào?", "vi", "201"),
        ("¿Cómo tiro las pilas?", "es", "214"),  # not translated in the sample
        ("대피소는 어디에 있나요?", "ko", "233"),
    ],
)
def test_a_right_faq_is_among_the_choices_in_any_language(index, question, language, faq_id):
    found = index.search_across(question, language)
    assert found.semantic and faq_id in [h.faq.id for h in found.hits]
    reply = decide(found)
    assert reply.kind is ReplyKind.CHOICES  # never one answer from meaning alone


def test_the_sample_s_translations_are_indexed_with_their_own_vectors(index):
    assert set(index.translated) == {"en", "vi"}
    english = index.translated["en"]
    assert english.vectors is not None and int(english.has.sum()) == 40


def test_a_translated_question_is_found_first(index, untranslated):
    question = "How much are the stickers for oversized garbage?"
    assert index.search_across(question, "en").hits[0].faq.id == "208"
    # Without the translation the meaning alone still offers it, lower or first.
    assert "208" in [h.faq.id for h in untranslated.search_across(question, "en").hits]


@pytest.mark.parametrize(
    ("question", "language", "faq_id"),
    [
        ("Pin cũ vứt ở đâu?", "vi", "214"),  # pin: 電池; e5 alone put 冷蔵庫・洗濯機 first
        ("Where do I buy the designated garbage bags?", "en", "218"),
    ],
)
def test_the_glossary_s_japanese_words_put_the_faq_first(index, question, language, faq_id):
    found = index.search_across(question, language)
    assert found.hits[0].faq.id == faq_id


def test_without_e5_the_glossary_still_finds_foreign_questions_faqs():
    lexical = build_index(sample_workbook())
    found = lexical.search_across("How do I throw away old batteries?", "en")
    assert not found.semantic and found.hits[0].faq.id == "214"
    assert lexical.search_across("Tell me a joke", "en").hits == []


def test_a_long_question_keeps_the_glossary_s_words_in_what_e5_reads():
    class Recording(LocalE5):
        def __init__(self):
            super().__init__()
            self.read: list[str] = []

        def embed_queries(self, texts):
            self.read.extend(texts)
            return super().embed_queries(texts)

    engine = Recording()
    index = build_index(sample_workbook(), embedder=DiskCachedEmbedder(LocalE5()))
    index.attach_embedder(engine)
    question = "Sorry to bother you, I have lived here for some years and I would like to know " * 2
    question += "where to throw away old batteries"
    index.search_across(question, "en")
    words = built_in().japanese_words(question, "en")
    assert "電池" in words and len(question) > QUESTION_CHARS
    assert engine.read[-1].endswith(" " + " ".join(words))
