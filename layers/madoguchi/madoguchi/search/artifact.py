"""The index file: a JSON header and named sections (JSON documents and numpy arrays), no pickle.

Layout: MAGIC, a 4-byte little-endian header length, the UTF-8 JSON header, then the sections,
each starting on an 8-byte boundary. The header says, for each section, where it is, how it is
encoded (raw or zlib) and, for arrays, the dtype and shape. Arrays stored raw are read with
`np.frombuffer` without copying, so loading a large index costs little more than reading it.
"""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

import numpy as np

MAGIC = b"MADOGUCHI-INDEX\x00"
# 2 added the FAQs' semantic vectors and a probability as confidence; files of format 1 still
# load (they search with BM25 alone). A reader refuses newer formats rather than misread them.
FORMAT_VERSION = 2
READABLE_VERSIONS = frozenset({1, 2})
# Only plain numeric dtypes may be read back: never objects, which would need pickle.
ALLOWED_DTYPES = frozenset({"<u1", "<u2", "<u4", "<u8", "<i1", "<i2", "<i4", "<i8", "<f4", "<f8"})
_LENGTH = struct.Struct("<I")


class ArtifactError(ValueError):
    """The bytes are not a readable Madoguchi index."""


def _pack(blob: bytes, compress: bool) -> tuple[bytes, str]:
    if compress:
        packed = zlib.compress(blob, 6)
        if len(packed) < 0.8 * len(blob):
            return packed, "zlib"
    return blob, "raw"


def encode(
    meta: dict[str, Any],
    documents: dict[str, Any],
    arrays: dict[str, np.ndarray],
    *,
    compress_arrays: frozenset[str] = frozenset(),
) -> bytes:
    """Bytes of an index file. JSON documents are compressed; arrays only when named."""
    sections: dict[str, dict[str, Any]] = {}
    body = bytearray()

    def add(name: str, blob: bytes, encoding: str, **extra: Any) -> None:
        body.extend(b"\x00" * (-len(body) % 8))
        sections[name] = {"offset": len(body), "nbytes": len(blob), "encoding": encoding, **extra}
        body.extend(blob)

    for name, document in documents.items():
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        add(name, *_pack(text, True), kind="json")
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        dtype = array.dtype.newbyteorder("<").str if array.dtype.itemsize > 1 else array.dtype.str
        blob = array.astype(dtype, copy=False).tobytes()
        add(
            name,
            *_pack(blob, name in compress_arrays),
            kind="array",
            dtype=dtype,
            shape=list(array.shape),
        )
    header = json.dumps(
        {"format_version": FORMAT_VERSION, "meta": meta, "sections": sections},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    return MAGIC + _LENGTH.pack(len(header)) + header + bytes(body)


def read_header(data: bytes) -> tuple[dict[str, Any], int]:
    """The header of an index file and where its body starts; ArtifactError if it is not one."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ArtifactError("索引ファイルはバイト列でなければなりません (index data must be bytes)")
    view = memoryview(data)
    if len(view) < len(MAGIC) + _LENGTH.size or bytes(view[: len(MAGIC)]) != MAGIC:
        raise ArtifactError("Madoguchi の索引ファイルではありません (not a Madoguchi index file)")
    (length,) = _LENGTH.unpack_from(view, len(MAGIC))
    start = len(MAGIC) + _LENGTH.size
    if start + length > len(view):
        raise ArtifactError("索引ファイルが途中で切れています (index file is truncated)")
    try:
        header = json.loads(bytes(view[start : start + length]))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArtifactError(f"索引ファイルの見出しが壊れています (corrupt header: {exc})") from exc
    if not isinstance(header, dict) or not isinstance(header.get("sections"), dict):
        raise ArtifactError("索引ファイルの見出しが壊れています (corrupt header)")
    version = header.get("format_version")
    if version not in READABLE_VERSIONS:
        readable = ", ".join(str(v) for v in sorted(READABLE_VERSIONS))
        raise ArtifactError(
            f"索引ファイルの形式 {version!r} はこの版では読めません。作り直してください "
            f"(index format {version!r}, this version reads {readable}: rebuild the index)"
        )
    return header, start + length


def decode(data: bytes) -> tuple[dict[str, Any], dict[str, Any], dict[str, np.ndarray]]:
    """(meta, documents, arrays) of an index file; ArtifactError on anything malformed."""
    header, body = read_header(data)
    view = memoryview(data)
    documents: dict[str, Any] = {}
    arrays: dict[str, np.ndarray] = {}
    try:
        for name, section in header["sections"].items():
            begin = body + int(section["offset"])
            end = begin + int(section["nbytes"])
            if begin < body or end > len(view):
                raise ArtifactError(
                    f"索引ファイルが途中で切れています (section {name} is truncated)"
                )
            blob: bytes | memoryview = view[begin:end]
            if section["encoding"] == "zlib":
                blob = zlib.decompress(blob)
            elif section["encoding"] != "raw":
                raise ArtifactError(f"unknown encoding {section['encoding']!r} in section {name}")
            if section["kind"] == "json":
                documents[name] = json.loads(bytes(blob))
            elif section["kind"] == "array":
                arrays[name] = _array(name, blob, section)
            else:
                raise ArtifactError(f"unknown section kind {section['kind']!r} ({name})")
    except ArtifactError:
        raise
    except (KeyError, TypeError, ValueError, zlib.error) as exc:
        raise ArtifactError(f"索引ファイルが壊れています (corrupt index: {exc})") from exc
    return header.get("meta", {}), documents, arrays


def _array(name: str, blob: bytes | memoryview, section: dict[str, Any]) -> np.ndarray:
    dtype = section["dtype"]
    if dtype not in ALLOWED_DTYPES and dtype not in {"|u1", "|i1"}:
        raise ArtifactError(f"section {name} has a disallowed dtype {dtype!r}")
    shape = tuple(int(n) for n in section["shape"])
    if np.dtype(dtype).itemsize * int(np.prod(shape, dtype=np.int64)) != len(blob):
        raise ArtifactError(f"section {name} does not match its shape {shape}")
    return np.frombuffer(blob, dtype=dtype).reshape(shape)
