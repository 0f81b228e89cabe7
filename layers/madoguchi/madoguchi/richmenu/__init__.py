"""Tabbed LINE rich menus drawn from the `メニュー` sheet and deployed after a publish.

The sync (and its drawing with Pillow) is imported when first asked for: the webhook only
switches residents' menus (richmenu.live).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from madoguchi.richmenu.sync import RichMenuSync, after_publish_sync, sync_rich_menus

__all__ = ["RichMenuSync", "after_publish_sync", "sync_rich_menus"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.sync"), name)
