"""The index file: a lossless round trip, clear errors on garbage, and a format version check."""

import json
import struct

import numpy as np
import pytest

from madoguchi.model import ActionKind, BotSettings, Faq, FaqWorkbook, MenuButton, MenuTab, TestCase
from madoguchi.search import ArtifactError, SearchIndex, build_index
from madoguchi.search.artifact import MAGIC, decode, encode


@pytest.fixture(scope="module")
def workbook() -> FaqWorkbook:
    faqs = tuple(
        Faq(
            id=f"F{i}",
            question=q,
            answer=a,
            category=c,
            paraphrases=p,
            keywords=k,
            url=f"https://example.jp/{i}",
            department="環境課",
            row=i + 2,
        )
        for i, (q, a, c, p, k) in enumerate(
            [
                (
                    "粗大ごみの出し方",
                    "事前に申し込んでください。",
                    "ごみ",
                    ("大きいごみ",),
                    ("粗大",),
                ),
                ("ごみの収集日", "カレンダーをご覧ください。", "ごみ", (), ()),
                (
                    "住民票の写しがほしい",
                    "市民課で取れます。1通300円です。",
                    "住民票",
                    (),
                    ("写し",),
                ),
            ]
        )
    )
    return FaqWorkbook(
        faqs=(*faqs, Faq(id="HIDDEN", question="非公開", answer="x", published=False)),
        synonyms=(("粗大ごみ", "大型ごみ"),),
        settings=BotSettings(
            city_name="星見ヶ丘市", answer_threshold=0.4, closed_days=("2026-12-29",)
        ),
        menu=(MenuTab("ごみ", (MenuButton("出し方", ActionKind.FAQ, "F0", row=3),)),),
        tests=(TestCase("大型ゴミ", ("F0",), 2),),
    )


def test_round_trip_keeps_everything(workbook):
    index = build_index(workbook, checksum="c" * 64, built_at="2026-02-03T04:05:06+00:00")
    data = index.to_bytes()
    loaded = SearchIndex.from_bytes(data)
    assert loaded.faqs == index.faqs
    assert loaded.settings == workbook.settings
    assert loaded.menu == workbook.menu
    assert loaded.tests == workbook.tests
    assert loaded.meta == index.meta
    assert loaded.synonym_groups == index.synonym_groups
    for query in ("大型ゴミを出したい", "住民票", "ごみ", "天気"):
        before, after = index.search(query), loaded.search(query)
        assert [(h.faq, h.score, h.confidence) for h in after.hits] == [
            (h.faq, h.score, h.confidence) for h in before.hits
        ]
        assert after.answered == before.answered


def test_file_contains_no_pickle_and_readable_header(workbook):
    data = build_index(workbook).to_bytes()
    assert data.startswith(MAGIC)
    (length,) = struct.unpack_from("<I", data, len(MAGIC))
    header = json.loads(data[len(MAGIC) + 4 : len(MAGIC) + 4 + length])
    assert header["format_version"] == 2
    assert header["meta"]["counts"]["faqs"] == 3
    assert all(s.get("dtype", "<u1") != "|O" for s in header["sections"].values())
    assert b"\x80\x04\x95" not in data  # no pickle protocol 4 frame


@pytest.mark.parametrize(
    "garbage",
    [b"", b"hello", b"PK\x03\x04" + b"\x00" * 100, MAGIC, MAGIC + b"\xff\xff\xff\x00{"],
)
def test_garbage_is_rejected_clearly(garbage):
    with pytest.raises(ArtifactError):
        SearchIndex.from_bytes(garbage)


def test_truncated_file_is_rejected(workbook):
    data = build_index(workbook).to_bytes()
    with pytest.raises(ArtifactError, match="truncated"):
        SearchIndex.from_bytes(data[: len(data) // 2])


def test_other_format_version_is_rejected(workbook):
    data = build_index(workbook).to_bytes()
    (length,) = struct.unpack_from("<I", data, len(MAGIC))
    start = len(MAGIC) + 4
    header = data[start : start + length].replace(b'"format_version":2', b'"format_version":99')
    rewritten = MAGIC + struct.pack("<I", len(header)) + header + data[start + length :]
    with pytest.raises(ArtifactError, match="99"):
        SearchIndex.from_bytes(rewritten)


def test_object_arrays_are_refused():
    data = encode({}, {}, {"x": np.arange(3, dtype=np.int32)})
    tampered = data.replace(b'"dtype":"<i4"', b'"dtype":"|O8"')
    with pytest.raises(ArtifactError, match="dtype"):
        decode(tampered)


def test_missing_parts_are_reported_as_corrupt():
    data = encode({"tokenizer": {}, "weights": {"question": 1.0}}, {}, {})
    with pytest.raises(ArtifactError, match="corrupt"):
        SearchIndex.from_bytes(data)
