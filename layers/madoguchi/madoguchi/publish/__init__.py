"""Publishing the FAQ: versions and the pointer naming the live one, the publish workflow, the
upload report staff receive, and the webhook's in-memory copy of the live index."""

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
