"""Residents who write in another language: which language, and the fixed texts in it."""
