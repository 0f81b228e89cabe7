"""The sample workbook shipped in faq/faq.xlsx, read as the indexer reads it."""

from functools import lru_cache
from pathlib import Path

from madoguchi.model import FaqWorkbook
from madoguchi.workbook import validate_workbook

SAMPLE = Path(__file__).resolve().parents[2] / "faq" / "faq.xlsx"
DATA = Path(__file__).resolve().parents[1] / "data"


@lru_cache(maxsize=1)
def sample_workbook() -> FaqWorkbook:
    """faq/faq.xlsx, validated (it must have no problems)."""
    result = validate_workbook(SAMPLE.read_bytes(), filename=SAMPLE.name)
    assert result.workbook is not None and not result.problems, result.problems
    return result.workbook
