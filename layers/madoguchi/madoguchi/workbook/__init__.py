"""Reading and checking the FAQ workbook that city staff edit."""

from madoguchi.workbook.problems import Problem, Severity, ValidationResult
from madoguchi.workbook.problems_text import format_report_ja
from madoguchi.workbook.validate import validate_workbook

__all__ = ["Problem", "Severity", "ValidationResult", "format_report_ja", "validate_workbook"]
