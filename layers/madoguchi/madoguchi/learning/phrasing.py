"""The form residents' questions are compared and grouped in before they are learned."""

from __future__ import annotations

# Defined beside the other text forms, since the search reads learned questions by it too.
from madoguchi.search.normalize import phrasing_key

__all__ = ["phrasing_key"]
