"""The `同義語` sheet: each row is a group of words that mean the same thing to residents."""

from __future__ import annotations

from madoguchi.workbook.cells import cell_ref, cell_text, fold, split_list
from madoguchi.workbook.problems import Severity
from madoguchi.workbook.table import SheetSpec, SheetTable

SYNONYMS_SPEC = SheetSpec(name="同義語", max_rows=5_000, has_header=False)


def parse_synonyms(table: SheetTable) -> list[tuple[str, ...]]:
    """Groups of two or more words; single words and words in two groups are reported."""
    groups: list[tuple[str, ...]] = []
    row_of_word: dict[str, int] = {}
    for row in table.rows:
        words: dict[str, int] = {}  # word -> column index where it was written
        for index, value in enumerate(row.values):
            if index in row.broken:
                continue
            for word in split_list(cell_text(value)):
                words.setdefault(word, index)
        if len(words) < 2:
            if words:
                word, index = next(iter(words.items()))
                table.report(
                    Severity.WARNING,
                    row.number,
                    None,
                    f"同義語のグループに言葉が1つしかありません(「{word}」)。",
                    "同じ意味の言葉を、同じ行の右のセルに2つ以上並べてください。",
                    cell=cell_ref(row.number, index),
                )
            continue
        for word, index in words.items():
            key = fold(word).casefold()
            if key in row_of_word and row_of_word[key] != row.number:
                table.report(
                    Severity.WARNING,
                    row.number,
                    None,
                    f"「{word}」が {row_of_word[key]}行目 と {row.number}行目 の両方にあります。",
                    "1つの言葉は1つのグループだけに入れてください(2つのグループは1行にまとめられます)。",
                    cell=cell_ref(row.number, index),
                )
            else:
                row_of_word[key] = row.number
        groups.append(tuple(words))
    return groups
