"""Madoguchi core: FAQ workbook, Japanese search, and the LINE help desk built on them."""

__version__ = "0.1.0"

from madoguchi import line_sdk

# Before anything imports the LINE SDK: only the modules used are imported (see line_sdk).
line_sdk.install()
