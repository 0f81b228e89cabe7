"""Object storage for workbooks, index artifacts and reports: S3 in the cloud, a folder locally."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from madoguchi.adapters.aws import LazyClient

if TYPE_CHECKING:
    pass

DEFAULT_CONTENT_TYPE = "application/octet-stream"
# S3 tag the bucket's lifecycle rule looks for: artifacts no pointer needs any more.
RETIRED_TAG = ("madoguchi-retired", "true")


@dataclass(frozen=True)
class ObjectInfo:
    """What storage knows about one object besides its bytes."""

    key: str
    etag: str  # opaque tag for compare-and-swap
    last_modified: datetime
    size: int
    version_id: str | None = None


class Storage(Protocol):
    """The handful of object-store operations Madoguchi needs."""

    def get(self, key: str, version_id: str | None = None) -> bytes | None: ...
    def get_tagged(self, key: str) -> tuple[bytes, str] | None: ...
    def head(self, key: str, version_id: str | None = None) -> ObjectInfo | None: ...
    def put(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> None: ...
    def put_if_absent(
        self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> bool: ...
    def put_if_match(
        self, key: str, data: bytes, etag: str | None, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> bool: ...
    def list(self, prefix: str) -> list[str]: ...
    def delete(self, key: str) -> None: ...
    def retire(self, key: str) -> None: ...


class S3Storage:
    """A bucket; conditional writes use S3's If-None-Match / If-Match."""

    client = LazyClient("s3")

    def __init__(self, bucket: str, client: Any = None) -> None:
        self.bucket = bucket
        self._client = client

    def _missing(self, error: Exception) -> bool:
        code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
        return code in ("NoSuchKey", "404", "NotFound", "NoSuchVersion")

    def _absent_but_hidden(self, error: Exception, key: str, version_id: str | None) -> bool:
        """True when S3 said 403 only because the role may not list outside some prefixes."""
        from botocore.exceptions import ClientError

        code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
        if code not in ("AccessDenied", "403", "Forbidden") or version_id:
            return False
        # Without a bucket-wide s3:ListBucket grant S3 answers 403 for a missing key; a list
        # of that exact key (allowed under the role's own prefixes) tells the two apart.
        try:
            listed = self.client.list_objects_v2(Bucket=self.bucket, Prefix=key, MaxKeys=1)
        except ClientError:
            return False
        return not any(item["Key"] == key for item in listed.get("Contents", []))

    def _precondition_failed(self, error: Exception) -> bool:
        response = getattr(error, "response", {})
        code = response.get("Error", {}).get("Code", "")
        # 409 ConditionalRequestConflict: a concurrent conditional write; the caller retries.
        return code in ("PreconditionFailed", "ConditionalRequestConflict") or response.get(
            "ResponseMetadata", {}
        ).get("HTTPStatusCode") in (409, 412)

    def get(self, key: str, version_id: str | None = None) -> bytes | None:
        """Object bytes, or None when there is no such object."""
        found = self._get_object(key, version_id)
        return None if found is None else found["Body"].read()

    def get_tagged(self, key: str) -> tuple[bytes, str] | None:
        """Object bytes with the ETag to pass to put_if_match."""
        found = self._get_object(key, None)
        return None if found is None else (found["Body"].read(), found["ETag"])

    def _get_object(self, key: str, version_id: str | None) -> dict | None:
        from botocore.exceptions import ClientError

        kwargs = {"Bucket": self.bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        try:
            return self.client.get_object(**kwargs)
        except ClientError as error:
            if self._missing(error) or self._absent_but_hidden(error, key, version_id):
                return None
            raise

    def head(self, key: str, version_id: str | None = None) -> ObjectInfo | None:
        """Metadata of an object, or None when it does not exist."""
        from botocore.exceptions import ClientError

        kwargs = {"Bucket": self.bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        try:
            found = self.client.head_object(**kwargs)
        except ClientError as error:
            if self._missing(error) or self._absent_but_hidden(error, key, version_id):
                return None
            raise
        return ObjectInfo(
            key=key,
            etag=found["ETag"],
            last_modified=found["LastModified"].astimezone(UTC),
            size=int(found["ContentLength"]),
            version_id=found.get("VersionId"),
        )

    def put(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> None:
        """Write an object, replacing any existing one."""
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def put_if_absent(
        self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> bool:
        """Write only if the key is new; False when it already existed."""
        return self.put_if_match(key, data, None, content_type)

    def put_if_match(
        self, key: str, data: bytes, etag: str | None, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> bool:
        """Write only if the object still has `etag` (None: only if absent); False otherwise."""
        from botocore.exceptions import ClientError

        condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=key, Body=data, ContentType=content_type, **condition
            )
        except ClientError as error:
            if self._precondition_failed(error) or (etag and self._missing(error)):
                return False
            raise
        return True

    def list(self, prefix: str) -> list[str]:
        """Keys under a prefix, sorted."""
        keys: list[str] = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            keys.extend(item["Key"] for item in page.get("Contents", []))
        return sorted(keys)

    def delete(self, key: str) -> None:
        """Delete an object (a no-op when it is already gone)."""
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def retire(self, key: str) -> None:
        """Tag an object so the bucket's lifecycle rule expires it later."""
        from botocore.exceptions import ClientError

        tag_key, tag_value = RETIRED_TAG
        try:
            self.client.put_object_tagging(
                Bucket=self.bucket,
                Key=key,
                Tagging={"TagSet": [{"Key": tag_key, "Value": tag_value}]},
            )
        except ClientError as error:
            if not self._missing(error):
                raise


class LocalStorage:
    """A folder; every write goes to a temporary file first and is renamed into place."""

    LOCK_NAME = ".madoguchi.lock"

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not key or key.startswith("/") or "\\" in key:
            raise ValueError(f"invalid storage key: {key!r}")
        if any(part in ("", ".", "..") for part in key.split("/")):
            raise ValueError(f"invalid storage key: {key!r}")
        return self.root / key

    @contextlib.contextmanager
    def _locked(self):
        # One lock for the folder makes check-then-write atomic between processes.
        import fcntl  # POSIX only; imported here so S3 use works everywhere

        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / self.LOCK_NAME, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @staticmethod
    def _etag(data: bytes) -> str:
        return '"' + hashlib.md5(data, usedforsecurity=False).hexdigest() + '"'

    def get(self, key: str, version_id: str | None = None) -> bytes | None:
        """File bytes, or None when there is no such file (folders keep no versions)."""
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def get_tagged(self, key: str) -> tuple[bytes, str] | None:
        """File bytes with a content tag to pass to put_if_match."""
        data = self.get(key)
        return None if data is None else (data, self._etag(data))

    def head(self, key: str, version_id: str | None = None) -> ObjectInfo | None:
        """Metadata of a file, or None when it does not exist."""
        path = self._path(key)
        try:
            stat = path.stat()
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        return ObjectInfo(
            key=key,
            etag=self._etag(data),
            last_modified=datetime.fromtimestamp(stat.st_mtime, UTC),
            size=stat.st_size,
        )

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise

    def put(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> None:
        """Write a file atomically: readers see the old bytes or the new, never a mix."""
        self._write(self._path(key), data)

    def put_if_absent(
        self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> bool:
        """Create a file only if it does not exist yet (O_EXCL); False when it did."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".tmp-{os.getpid()}-{os.urandom(6).hex()}.part")
        temp.write_bytes(data)
        try:
            # Linking fails if the name exists (like O_EXCL), and the file appears complete.
            os.link(temp, path)
        except FileExistsError:
            return False
        finally:
            temp.unlink()
        return True

    def put_if_match(
        self, key: str, data: bytes, etag: str | None, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> bool:
        """Replace a file only if its content tag is still `etag` (None: only if absent)."""
        if etag is None:
            return self.put_if_absent(key, data, content_type)
        with self._locked():
            current = self.get(key)
            if current is None or self._etag(current) != etag:
                return False
            self.put(key, data, content_type)
            return True

    def list(self, prefix: str) -> list[str]:
        """Keys under a prefix, sorted; temporary and lock files are not objects."""
        keys = []
        for path in self.root.rglob("*"):
            if not path.is_file() or path.name.startswith("."):
                continue
            key = path.relative_to(self.root).as_posix()
            if key.startswith(prefix):
                keys.append(key)
        return sorted(keys)

    def delete(self, key: str) -> None:
        """Delete a file (a no-op when it is already gone)."""
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()

    def retire(self, key: str) -> None:
        """A folder has no lifecycle rules, so an object nobody needs is deleted at once."""
        self.delete(key)
