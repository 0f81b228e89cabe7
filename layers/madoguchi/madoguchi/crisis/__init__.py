"""Messages from residents who may be in danger: detection rules, consultation lines, staff mail."""

from madoguchi.crisis.detect import detect, looks_like_crisis
from madoguchi.crisis.kinds import CrisisKind

__all__ = ["CrisisKind", "detect", "looks_like_crisis"]
