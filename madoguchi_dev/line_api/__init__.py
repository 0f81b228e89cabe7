"""A LINE Messaging API on loopback for tests and the local preview."""

from madoguchi_dev.line_api.server import LineApiServer

__all__ = ["LineApiServer"]
