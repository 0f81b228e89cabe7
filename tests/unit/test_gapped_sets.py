"""The gapped variants of the dev sets: reproducible, about a sixth of the answerable questions
without a right FAQ, popular topics among the removed, and applied to workbook and labels."""

from pathlib import Path

import pytest

from madoguchi.model import Faq, FaqWorkbook
from madoguchi_dev.gapped import SHARE, apply, choose_removed, gapped_file, read_removed
from madoguchi_dev.resident_view import Question, read_questions

SETS = [Path("tests/data/hard_dev.jsonl"), Path("tests/data/blind_questions_judged.jsonl")]


@pytest.mark.parametrize("queries", SETS, ids=lambda p: p.stem)
def test_the_checked_in_lists_are_what_the_choice_gives(queries):
    questions = read_questions(queries)
    removed = read_removed(gapped_file(queries))
    assert removed == choose_removed(questions)
    answerable = [q for q in questions if q.relevant_ids]
    lost = [q for q in answerable if set(q.relevant_ids) <= set(removed)]
    assert abs(len(lost) / len(answerable) - SHARE) < 0.01
    asked = sorted({i for q in questions for i in q.relevant_ids},
                   key=lambda i: -sum(i in q.relevant_ids for q in questions))  # fmt: skip
    assert set(asked[:3]) & set(removed)  # a popular topic is among the gaps


def test_apply_drops_the_faqs_and_relabels_the_questions():
    workbook = FaqWorkbook(faqs=tuple(Faq(str(n), f"質問{n}", "回答") for n in range(1, 4)))
    questions = [Question("a", ("1",)), Question("b", ("2", "3")), Question("c", ())]
    gapped, relabelled = apply(workbook, questions, ["1", "2"])
    assert [f.id for f in gapped.faqs] == ["3"]
    assert [q.relevant_ids for q in relabelled] == [(), ("3",), ()]
