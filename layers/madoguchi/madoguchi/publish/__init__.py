"""Publishing the FAQ: versions and the pointer naming the live one, the publish workflow, the
upload report staff receive, and the webhook's in-memory copy of the live index.

Names are imported from their modules when first asked for: the webhook needs only IndexHolder
and VersionStore, not the workflow and its workbook reader (openpyxl, Pillow).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from madoguchi.publish.live_index import IndexHolder
    from madoguchi.publish.upload_report import UploadReport, UploadStatus
    from madoguchi.publish.versions import (
        Pointer,
        PointerContention,
        PublishedIndexError,
        Upload,
        VersionRecord,
        VersionStore,
        is_newer,
    )
    from madoguchi.publish.workflow import publish_upload

_MODULES = {
    "IndexHolder": "live_index",
    "UploadReport": "upload_report",
    "UploadStatus": "upload_report",
    "Pointer": "versions",
    "PointerContention": "versions",
    "PublishedIndexError": "versions",
    "Upload": "versions",
    "VersionRecord": "versions",
    "VersionStore": "versions",
    "is_newer": "versions",
    "publish_upload": "workflow",
}

__all__ = [
    "IndexHolder",
    "Pointer",
    "PointerContention",
    "PublishedIndexError",
    "Upload",
    "UploadReport",
    "UploadStatus",
    "VersionRecord",
    "VersionStore",
    "is_newer",
    "publish_upload",
]


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
