"""Tabbed LINE rich menus drawn from the `メニュー` sheet and deployed after a publish."""

from madoguchi.richmenu.sync import RichMenuSync, rich_menu_hook, sync_rich_menus

__all__ = ["RichMenuSync", "rich_menu_hook", "sync_rich_menus"]
