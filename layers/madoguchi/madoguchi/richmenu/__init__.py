"""Tabbed LINE rich menus drawn from the `メニュー` sheet and deployed after a publish."""

from madoguchi.richmenu.sync import RichMenuSync, after_publish_sync, sync_rich_menus

__all__ = ["RichMenuSync", "after_publish_sync", "sync_rich_menus"]
