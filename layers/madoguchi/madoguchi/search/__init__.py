"""Japanese FAQ search: normalization, tokenization, BM25 over postings, the index file."""

from madoguchi.search.artifact import ArtifactError
from madoguchi.search.evaluate import evaluate
from madoguchi.search.index import Hit, SearchIndex, SearchResult, build_index

__all__ = ["ArtifactError", "Hit", "SearchIndex", "SearchResult", "build_index", "evaluate"]
