"""Ask the FAQ search a question and see the four closest FAQs, as residents would get them.

python scripts/ask.py "粗大ごみの出し方" [--workbook faq/faq.xlsx] [--index FILE] [--lexical]

The semantic signal is on when the e5 engine of the dev environment loads (--lexical: BM25 alone).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from madoguchi.conversation.search_reply import ReplyKind, decide
from madoguchi.search import ArtifactError, SearchIndex, build_index
from madoguchi.search.tokenize import BIGRAM_PREFIX, RECALL_ONLY
from madoguchi_dev.e5 import DiskCachedEmbedder, LocalE5, engine_problem
from madoguchi_dev.evaluation import WorkbookUnreadable, read_workbook
from madoguchi_dev.use import scripts_reader

VERDICTS = {
    ReplyKind.ANSWER: "回答します",
    ReplyKind.CHOICES: "「次のどれが近いですか？」と選択肢を出します",
    ReplyKind.NOTHING_CLOSE: "「見つかりませんでした」と返します",
}


def main(argv: list[str] | None = None) -> int:
    """Print the top hits and the answer decision in Japanese."""
    parser = argparse.ArgumentParser(description="FAQ 検索を試します。")
    parser.add_argument("question", help="住民の方が送る質問文")
    parser.add_argument("--workbook", type=Path, default=Path("faq/faq.xlsx"))
    parser.add_argument(
        "--index", type=Path, help="作成済みの索引ファイル(指定するとワークブックは読みません)"
    )
    parser.add_argument("-k", type=int, default=4, help="表示する候補の数")
    parser.add_argument("--lexical", action="store_true", help="意味の近さを使わず BM25 だけで")
    args = parser.parse_args(argv)
    embedder = None if args.lexical or engine_problem() else DiskCachedEmbedder(LocalE5())
    try:
        if args.index:
            index = SearchIndex.from_bytes(args.index.read_bytes(), embedder=embedder)
        else:
            workbook, checksum = read_workbook(args.workbook)
            index = build_index(workbook, checksum=checksum, embedder=embedder)
    except (OSError, ArtifactError, WorkbookUnreadable) as exc:
        print(f"読み込めませんでした: {exc}", file=sys.stderr)
        return 2
    index.attach_reader(scripts_reader(args.lexical))
    result = index.search(args.question, k=args.k)
    print(f"質問: {args.question}")
    words = [t for t in result.terms if not t.startswith((BIGRAM_PREFIX, *RECALL_ONLY))]
    print(f"検索語: {' '.join(words) or '(なし)'}")
    read_as = index.read_as(args.question) if result.semantic else None
    if read_as and read_as != args.question.strip():
        print(f"意味の近さは次の文で: {read_as}")
    verdict = VERDICTS[decide(result).kind]
    print(
        f"判定: {verdict}(確からしさ {result.confidence:.2f} / 回答のしきい値 "
        f"{result.threshold:.2f} / 近い FAQ がある確からしさ {result.closeness or 0:.2f} / "
        f"選択肢のしきい値 {result.choice_threshold:.2f}"
        f"{' / 意味の近さも使用' if result.semantic else ''})"
    )
    if not result.hits:
        print("候補: なし")
    for rank, hit in enumerate(result.hits, 1):
        print(f"{rank}. [{hit.faq.id}] {hit.faq.question}")
        related = "" if hit.related else "  (関係が薄いので表示しません)"
        figures = f"スコア {hit.score:.2f}  確からしさ {hit.confidence:.2f}"
        print(f"   {figures}  {hit.faq.category}{related}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
