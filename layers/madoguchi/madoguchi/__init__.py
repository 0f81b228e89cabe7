"""Madoguchi core: FAQ workbook, Japanese search, and the LINE help desk built on them."""

__version__ = "0.1.0"
