"""Publishing with FAQ vectors: in AWS (moto S3, the handler, an injected embedder behind the
cache) a republish embeds only edited rows and an embedder that fails still publishes, with BM25
alone and a metric; locally the real engine builds the vectors the webhook scores."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np

from madoguchi.adapters.embed_cache import CachingEmbedder, cache_key
from madoguchi.adapters.lambda_embedder import EmbedFailed
from madoguchi.adapters.storage import LocalStorage, S3Storage
from madoguchi.config import Config
from madoguchi.publish import VersionStore, publish_upload
from madoguchi.search import artifact
from madoguchi.search.semantic import DIM, MODEL_ID, SCALES, VECTORS, FaqVectors, passages_of
from madoguchi.wiring import indexer_deps, query_embedder_for
from madoguchi.workbook import validate_workbook
from tests.integration.test_handler_metrics import emitted
from tests.support.embedders import CountingEmbedder, needs_engine
from tests.support.indexer_aws import BUCKET
from tests.support.workbooks import faq_row, sample_faqs, sample_workbook

KEY = "uploads/faq.xlsx"
CACHE = cache_key("indexes/", MODEL_ID)


def with_embedder(account, inner) -> CachingEmbedder:
    embedder = CachingEmbedder(inner, S3Storage(BUCKET, client=account.s3), CACHE)
    account.app.DEPS = replace(account.app.DEPS, embedder=embedder)
    return embedder


def publish(account, data: bytes, second: int) -> dict:
    put = account.upload(KEY, data)
    event = account.event_for(
        "s3_object_created_japanese_key.json",
        put,
        event_time=f"2026-04-01T00:00:{second:02d}.000Z",
        key=KEY,
    )
    (outcome,) = account.invoke(event)["processed"]
    assert outcome["status"] == "published", outcome
    return json.loads(account.read(outcome["report"]))


def live_arrays(account) -> dict[str, np.ndarray]:
    pointer = json.loads(account.read("indexes/current.json"))
    _, _, arrays = artifact.decode(account.read(pointer["artifact_key"]))
    return arrays


def test_a_republish_in_aws_embeds_only_the_edited_rows(account):
    inner = CountingEmbedder()
    with_embedder(account, inner)
    faqs = sample_faqs()
    report = publish(account, sample_workbook(faqs), 1)
    workbook = validate_workbook(sample_workbook(faqs)).workbook
    passages = sum(len(passages_of(faq)) for faq in workbook.published_faqs)
    assert report["vectors"]["status"] == "ok"
    assert report["vectors"]["embedded"] == passages == len(inner.passages)
    arrays = live_arrays(account)
    assert arrays[VECTORS].shape == (len(faqs), DIM) and arrays[VECTORS].dtype == np.int8
    assert len(arrays[SCALES]) == len(faqs)
    assert CACHE in account.keys("indexes/vectors-cache/")

    inner.passages.clear()
    faqs[0][5] = "粗大ごみは予約センターで受け付けます。料金は品目ごとに決まっています。"
    report = publish(account, sample_workbook(faqs), 2)
    assert report["vectors"]["embedded"] == 1  # only the question + answer passage changed
    assert report["vectors"]["reused"] == passages - 1
    assert len(inner.passages) == 1 and "予約センター" in inner.passages[0]


def test_an_embedder_that_fails_still_publishes_with_bm25_alone(account, capsys):
    class Broken(CountingEmbedder):
        def embed_passages(self, texts):
            raise EmbedFailed("the EmbedFunction failed twice on the same batch")

    with_embedder(account, Broken())
    capsys.readouterr()
    report = publish(account, sample_workbook(), 1)
    assert report["vectors"] == {"status": "unavailable"}
    assert VECTORS not in live_arrays(account)
    metrics, _ = emitted(capsys)
    assert metrics["VectorsUnavailable"] == 1 and metrics["UploadsPublished"] == 1
    assert account.keys("indexes/vectors-cache/") == []


def test_without_an_embedder_nothing_is_embedded_or_cached(account):
    assert account.app.DEPS.embedder is None  # MADOGUCHI_SEMANTIC=off in the test suite
    report = publish(account, sample_workbook(), 1)
    assert report["vectors"] is None
    assert VECTORS not in live_arrays(account)


@needs_engine
def test_a_local_publish_embeds_with_the_real_engine_and_reuses_its_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MADOGUCHI_SEMANTIC", "on")
    config = Config.from_env({"MADOGUCHI_LOCAL_DIR": str(tmp_path)})
    deps = indexer_deps(config)
    assert deps.embedder is not None
    storage = LocalStorage(tmp_path)
    rows = [
        faq_row(
            "F001",
            "粗大ごみの出し方",
            "粗大ごみは電話かインターネットで予約してください。",
            category="ごみ",
        ),
        faq_row("F002", "児童手当の申請", "出生や転入の翌日から15日以内に申請してください。"),
        faq_row("F003", "図書館の開館時間", "午前9時から午後7時まで開いています。"),
    ]
    reports = []
    for second in (1, 2):
        if second == 2:
            rows[2] = faq_row("F003", "図書館の開館時間", "午前9時から午後8時まで開いています。")
        storage.put(KEY, sample_workbook(rows, tests=[("大きな家具を捨てたい", "F001")]))
        reports.append(
            publish_upload(
                storage,
                KEY,
                config=config,
                embedder=deps.embedder,
                event_time=f"2026-04-01T00:00:0{second}.000Z",
            )
        )
    assert [r.status.value for r in reports] == ["published", "published"], reports[0].problems
    first, second = (r.vectors for r in reports)
    assert first["embedded"] == first["passages"] == 3 * 2  # question; question with answer
    assert (second["embedded"], second["reused"]) == (1, 5)
    index = VersionStore(storage, config.index_prefix).load_index()
    arrays = artifact.decode(index.to_bytes())[2]
    engine = deps.embedder.inner
    expected = FaqVectors.build(index.faqs, engine)
    published = FaqVectors.from_arrays(arrays)
    assert published is not None and len(published) == 3
    # The same vectors as the engine's own, up to the int8 rounding of the cache and the index.
    dequantized = [v.rows.astype(np.float32) * v.scales[:, None] for v in (published, expected)]
    cosines = np.sum(dequantized[0] * dequantized[1], axis=1) / np.prod(
        [np.linalg.norm(d, axis=1) for d in dequantized], axis=0
    )
    assert cosines.min() > 0.999

    # The webhook's engine puts the question next to the FAQ it means.
    question = query_embedder_for(config)
    assert question is not None
    scores = expected.similarity(question.embed_queries(["ソファーを処分したい"])[0])
    assert int(np.argmax(scores)) == 0


def test_the_webhook_index_gets_the_question_embedder_and_is_warmed(tmp_path):
    from madoguchi.adapters.e5_engine import WARM_QUESTION
    from madoguchi.publish import IndexHolder

    config = Config.from_env({"MADOGUCHI_LOCAL_DIR": str(tmp_path)})
    storage = LocalStorage(tmp_path)
    storage.put(KEY, sample_workbook())
    cache = CachingEmbedder(CountingEmbedder(), storage, CACHE)
    assert publish_upload(storage, KEY, config=config, embedder=cache).status.value == "published"

    questions = CountingEmbedder()
    index = IndexHolder(storage, config, embedder=questions).current()
    assert index is not None and index.semantic
    assert questions.queries == [WARM_QUESTION]  # the vectors are ready before a resident asks
    index.search("粗大ごみを出したい")
    assert questions.queries[-1] == "粗大ごみを出したい"

    other = CountingEmbedder("another-model")
    index = IndexHolder(storage, config, embedder=other).current()
    assert index is not None and not index.semantic and other.queries == []  # BM25 alone
