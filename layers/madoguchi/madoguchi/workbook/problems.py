"""What validation found in a workbook: each problem with the place to fix it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from madoguchi.model import FaqWorkbook


class Severity(enum.StrEnum):
    """Errors block publishing; warnings are reported and publishing goes ahead."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding, located as precisely as the workbook allows."""

    severity: Severity
    message: str  # Japanese: what is wrong
    fix: str = ""  # Japanese: what to do about it
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # header name, e.g. "回答"
    cell: str | None = None  # Excel reference, e.g. "F12"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "severity": self.severity.value,
            "message": self.message,
            "fix": self.fix,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
        }


class ProblemsBySeverity:
    """`errors` and `warnings` of the `problems` list a validation result or report holds."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """Problems that block publishing."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems reported without blocking."""
        return [p for p in self.problems if p.severity is Severity.WARNING]


@dataclass
class ValidationResult(ProblemsBySeverity):
    """The outcome of reading one workbook file."""

    workbook: FaqWorkbook | None
    problems: list[Problem] = field(default_factory=list)
    checksum: str = ""  # sha256 of the file bytes
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the workbook can be published."""
        return self.workbook is not None and not self.errors
