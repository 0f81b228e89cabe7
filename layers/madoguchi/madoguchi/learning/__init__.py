"""Learning from residents: questions whose FAQ residents chose become phrasings of that FAQ."""

from madoguchi.learning.mining import Learned, learn_for, mine
from madoguchi.learning.personal import has_personal_data
from madoguchi.learning.phrasing import phrasing_key
from madoguchi.model import LearnedPhrasing

__all__ = [
    "Learned",
    "LearnedPhrasing",
    "has_personal_data",
    "learn_for",
    "mine",
    "phrasing_key",
]
