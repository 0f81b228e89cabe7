"""How likely a found FAQ is the right one: a small logistic model over the search's evidence.

The evidence for a hit: how much of the question's information its question side (質問, 言い換え,
キーワード, reading) contains and how much only its answer does, how similar its meaning is to the
question (e5 cosine), how far ahead of every other FAQ it is (margins), whether the lexical
and the semantic ranking agree on it, and whether the question was typed in kana and read back
into the FAQs' kanji words for the cosine (madoguchi.search.kana_words). A second model judges
the whole search: its closeness is the probability that a right FAQ is among the hits shown
rather than none in the workbook, from
how likely the best hit is and how close its meaning is in absolute terms (questions the city's
FAQ does not cover sit further from every FAQ). The coefficients below were fitted offline on
the hard dev set (tests/data/hard_dev.jsonl) with 5-fold cross-validation; refit them after
changing the ranking or the evidence with `python scripts/fit_confidence.py` and paste what it
prints here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Evidence names, in the order of the columns of an evidence matrix.
FEATURES = (
    "question_cover",  # share of the question's IDF weight found in the FAQ's question side
    "answer_only_cover",  # share found only in its answer
    "word_cover",  # share found through whole words, kanji bigrams or kana readings (see judge)
    "grounded_cover",  # share the question side holds as words or runs of readings (see judge)
    "short_reading_cover",  # share it holds only as the one reading n-gram of a 3-kana word
    "lexical",  # BM25 score / the best BM25 score of the search
    "lexical_first",  # 1 when it is the lexical ranking's first FAQ
    "similarity",  # e5 cosine with the question (0 without the semantic signal)
    "similarity_margin",  # cosine minus the best cosine of any other FAQ
    "similarity_z",  # how unusually close it is: the cosine's z-score over all FAQs
    "semantic_first",  # 1 when it is the semantic ranking's first FAQ
    "fused_margin",  # fused score minus the best of any other FAQ (BM25 alone: see _evidence)
    "read_back",  # 1 when the question was typed in kana and read back into kanji words for e5
    "word_margin",  # how far its word-vector cosine is ahead of any other FAQ's, in standard
    # deviations of the cosines (0 when behind, or without word vectors)
    "reader_z",  # the second reader's closeness in standard deviations among the candidates
    "reader_margin",  # its closeness minus the best other candidate's (see second_reader)
    "cover_margin",  # its share of the question's IDF weight (anywhere) minus the best other
    # shown hit's: siblings share the common words, the right one holds the word telling them apart
)


# Evidence about a whole search, from the hits a resident is shown: is any of them right?
CLOSE_FEATURES = (
    "best_logit",  # log-odds that the best hit is right (the model above)
    "best_similarity",  # e5 cosine of the best hit (0 without the semantic signal)
    "read_back",  # 1 when the question was read back from kana (its cosines run lower)
)
SHOWN = 4  # hits a resident is shown at most: the answer and three candidates, or four choices


@dataclass(frozen=True)
class Model:
    """Logistic regression: P(right) = 1 / (1 + exp(-(bias + Σ weight × evidence)))."""

    bias: float
    weights: dict[str, float]
    features: tuple[str, ...] = FEATURES  # the columns of the evidence it reads

    def probability(self, evidence: np.ndarray) -> np.ndarray:
        """P(right) of each row of an evidence matrix (columns in `features` order)."""
        if not len(evidence):
            return np.zeros(0)
        coefficients = np.array([self.weights.get(name, 0.0) for name in self.features])
        logit = self.bias + np.asarray(evidence, dtype=np.float64) @ coefficients
        return 1.0 / (1.0 + np.exp(-np.clip(logit, -30, 30)))


# A hit is related to the question when one of its words (a whole word, a kanji bigram or a kana
# reading, not a kana bigram: インフルエンザ shares ふる with ふるさと納税) carries some of the
# question's information, or when its meaning is unusually close: this many standard deviations
# above the mean cosine over all FAQs; and when it is not all but excluded (P(right) below
# RELATED_PROBABILITY). On the hard dev set this leaves out at most 1 in 200 right FAQs ranked
# 2-4 (scripts/evaluate.py: hidden_right).
RELATED_Z = 1.5
RELATED_PROBABILITY = 0.01


@dataclass(frozen=True)
class Judgement:
    """What the evidence says about the hits of one search."""

    probability: np.ndarray  # P(right) of each hit
    related: np.ndarray  # whether each hit shares words or meaning with the question
    # whether the best hit may be the answer: its question side shares a word with the question,
    # or both readers of meaning put it first (_meaning_agrees)
    grounded: bool
    closeness: float  # P(a right FAQ is among the hits shown), against "the city has no such FAQ"

    def answers(self, threshold: float) -> bool:
        """Whether the best hit is confident enough, and grounded, to be given as the answer."""
        return self.grounded and bool(len(self.probability) and self.probability[0] >= threshold)


def close_evidence(evidence: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """The one row of search evidence (columns: CLOSE_FEATURES) from the hits' evidence."""
    if not len(evidence):
        return np.zeros((0, len(CLOSE_FEATURES)))
    best = float(np.clip(probability[0], 1e-6, 1 - 1e-6))
    row = {
        "best_logit": np.log(best / (1 - best)),
        "best_similarity": evidence[0, FEATURES.index("similarity")],
        "read_back": evidence[0, FEATURES.index("read_back")],
    }
    return np.array([[row[name] for name in CLOSE_FEATURES]], dtype=np.float64)


def judge(evidence: np.ndarray, model: Model, close: Model) -> Judgement:
    """Probabilities, relatedness and grounding of the hits whose evidence this is, and how
    likely a right FAQ is among them (`close` reads CLOSE_FEATURES)."""
    column = {name: evidence[:, i] for i, name in enumerate(FEATURES)}
    probability = model.probability(evidence)
    shares = (column["word_cover"] > 0) | (column["similarity_z"] >= RELATED_Z)
    closeness = close.probability(close_evidence(evidence, probability))
    shown = slice(0, SHOWN)
    # Nothing is close when no FAQ shown holds a word of the question on its question side (a
    # kana word of three, こせき, through its one reading n-gram) and none is unusually close in
    # meaning: らーめん たべたい finds FAQs only through kana bigrams and pieces of readings
    # (べたい). On the dev sets this never hides a right FAQ.
    anchored = (
        (column["grounded_cover"][shown] > 0)
        | (column["short_reading_cover"][shown] > 0)
        | (column["similarity_z"][shown] >= RELATED_Z)
    )
    return Judgement(
        probability=probability,
        related=shares & (probability >= RELATED_PROBABILITY),
        closeness=float(closeness[0]) if len(closeness) and anchored.any() else 0.0,
        grounded=bool(len(evidence)) and (shares_a_word(evidence) or _meaning_agrees(column)),
    )


def shares_a_word(evidence: np.ndarray) -> bool:
    """Whether the best hit's question side holds a word of the question (a whole word, a kanji
    bigram or a run of readings: grounded_cover), as an answer needs unless meaning agrees."""
    return bool(len(evidence)) and bool(evidence[0, FEATURES.index("grounded_cover")] > 0)


def _meaning_agrees(column: dict[str, np.ndarray]) -> bool:
    """Whether both readers of meaning put the best hit first, for a question typed with kanji.

    Words found only in answers never make an answer on their own, nor does one reading n-gram
    (げんき? is not about 現況届, げんきょう): a FAQ whose question side shares no word with the
    question is given as the answer only when e5 finds it the closest of all FAQs and the
    second reader, when it read the candidates, the closest of them (庭でたき火 していい? is
    家でごみを燃やしてもいいですか?). A question typed in kana and read back is a guess at its
    words, and without e5 (BM25 alone) nothing reads its meaning: those need a shared word.
    """
    return bool(
        column["semantic_first"][0] > 0
        and column["read_back"][0] == 0
        and column["reader_margin"][0] >= 0
    )


# Fitted by scripts/fit_confidence.py on tests/data/hard_dev.jsonl against the sample workbook,
# full, stripped and gapped (see the module docstring); do not edit by hand.
WITH_SEMANTIC = Model(
    bias=-20.06,
    weights={
        "question_cover": 0.8528,
        "answer_only_cover": 3.047,
        "similarity": 21.22,
        "similarity_margin": 66.85,
        "fused_margin": 0.3743,
        "read_back": 0.7177,
        "cover_margin": 2.46,
    },
)
LEXICAL_ONLY = Model(
    bias=-2.802,
    weights={
        "question_cover": 2.563,
        "answer_only_cover": 4.508,
        "fused_margin": 7.671,
        "word_margin": 1.592,
    },
)
# With the second reader (madoguchi.search.second_reader): the deployed webhook's model.
WITH_READER = Model(
    bias=-20.69,
    weights={
        "question_cover": 0.463,
        "answer_only_cover": 2.828,
        "similarity": 21.27,
        "similarity_margin": 63.07,
        "fused_margin": 0.07869,
        "read_back": 0.4513,
        "cover_margin": 2.406,
        "reader_z": 0.701,
        "reader_margin": -0.001208,
    },
)
CLOSE_WITH_READER = Model(
    bias=-16.92,
    weights={"best_logit": 0.5518, "best_similarity": 20.95, "read_back": 0.7113},
    features=CLOSE_FEATURES,
)
CLOSE_WITH_SEMANTIC = Model(
    bias=-14.67,
    weights={"best_logit": 0.5455, "best_similarity": 18.35, "read_back": 0.9391},
    features=CLOSE_FEATURES,
)
CLOSE_LEXICAL = Model(
    bias=1.237,
    weights={"best_logit": 0.3953},
    features=CLOSE_FEATURES,
)
# The lowest answer threshold whose answers were right at least this share of the time (target
# precision -> threshold), on the full, stripped and gapped hard dev set; read by
# madoguchi.search.answer_policy (設定's 回答の確かさ).
PRECISION_THRESHOLDS = {
    0.7: 0.375,
    0.75: 0.45,
    0.8: 0.525,
    0.84: 0.6,
    0.88: 0.675,
    0.9: 0.7,
    0.93: 0.75,
    0.95: 0.825,
}
