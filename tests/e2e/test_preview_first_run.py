"""A newcomer's first minutes in a real browser: the page answers while the first publish runs
(「準備中」), a question sent while a workbook is being published is answered at once, and a reset
never wipes what the resident writes after it."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.support.chat_page import bot_rows, open_chat
from tests.support.preview_server import SAMPLE_WORKBOOK, RunningPreview, running_preview

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANSWER_WITHIN_MS = 3_000


@pytest.fixture(scope="module")
def running(tmp_path_factory) -> Iterator[RunningPreview]:
    with running_preview(tmp_path_factory.mktemp("preview-first-run"), held=True) as running:
        yield running


@pytest.fixture(scope="module")
def page(browser, running) -> Iterator[Page]:
    """One tab for the whole module: the first test sees the page open before the bot is ready."""
    with open_chat(browser, running.url) as page:
        yield page


def test_the_page_says_preparing_until_the_first_publish_is_done(page: Page, running):
    assert running.gate is not None
    assert running.gate.waiting.wait(timeout=30)  # the first publish is held in the indexer
    preparing = page.locator("#preparing")
    expect(preparing).to_be_visible()
    expect(preparing).to_contain_text("準備中")
    expect(page.locator("#preparing-text")).to_contain_text("faq.xlsx を確認して公開しています")
    expect(page.locator("#message")).to_be_disabled()
    assert running.preview.ready is False

    running.gate.open()
    expect(preparing).to_be_hidden(timeout=60_000)
    expect(page.locator("#message")).to_be_enabled()
    expect(bot_rows(page).first).to_contain_text("友だち追加ありがとうございます")
    expect(page.locator("#account-name")).to_have_text("星見ヶ丘市")


def test_a_question_sent_during_a_publish_is_answered_at_once(page: Page, running):
    assert running.gate is not None
    running.gate.close()
    page.set_input_files(
        "#workbook",
        FilePayload(name="faq.xlsx", mimeType=XLSX, buffer=SAMPLE_WORKBOOK.read_bytes()),
    )
    page.click("#upload")
    assert running.gate.waiting.wait(timeout=30)  # the upload is in the indexer, held there
    status = page.locator("#upload-status")
    expect(status).to_contain_text("確認して公開しています")

    before = bot_rows(page).count()
    asked = time.monotonic()
    page.fill("#message", "マイナンバーカードをなくした")
    page.press("#message", "Enter")
    expect(bot_rows(page)).not_to_have_count(before, timeout=ANSWER_WITHIN_MS)
    answered_in = time.monotonic() - asked
    expect(bot_rows(page).nth(before).locator(".bubble")).to_contain_text("■ マイナンバーカード")
    assert answered_in < ANSWER_WITHIN_MS / 1000
    assert status.inner_text().startswith("faq.xlsx を確認して公開しています")  # still held

    running.gate.open()
    expect(status).to_have_text("公開しました。新しい回答で答えます。", timeout=60_000)


def test_a_reset_clears_the_talk_at_once_and_keeps_what_is_written_after_it(page: Page, running):
    # LINE takes a second over the next reply, so the reset waits behind it in the queue.
    running.preview.line.delay_next(1.0)
    page.fill("#message", "住民票がほしい")
    page.press("#message", "Enter")
    page.click("#reset")
    expect(page.locator("#talk .row")).to_have_count(0)
    page.fill("#message", "マイナンバーカードをなくした")
    page.press("#message", "Enter")
    mine = page.locator("#talk .row.user .bubble")
    expect(mine).to_have_text(["マイナンバーカードをなくした"])
    # The greeting of the new resident, then the answer to the question written after the reset.
    expect(bot_rows(page).first).to_contain_text("友だち追加ありがとうございます")
    expect(page.locator("#talk .row.bot .bubble", has_text="■ マイナンバーカード")).to_have_count(1)
    expect(mine).to_have_text(["マイナンバーカードをなくした"])
    expect(page.locator("#talk .row.bot .bubble", has_text="■ 住民票")).to_have_count(0)
