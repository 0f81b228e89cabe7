"""The preview shows the topic list and the helpful "not found" in a real browser: 「ごみ」 lists
the ごみ questions with a request for more, and outside the office hours "not found" has a
button that dials the sample's inquiry line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.support.chat_page import ask, bot_rows, open_chat
from tests.support.preview_server import request, running_preview

pytestmark = pytest.mark.e2e
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    with running_preview(tmp_path_factory.mktemp("preview-kinds")) as running:
        yield running


@pytest.fixture
def page(browser, running) -> Iterator[Page]:
    request(running.url + "/api/reset", b"{}", JSON)
    with open_chat(browser, running.url) as page:
        expect(bot_rows(page)).to_have_count(1)  # the greeting
        yield page


def test_a_topic_word_gets_the_topics_questions_and_a_request_for_more(page: Page):
    ask(page, "ごみ")
    listing = bot_rows(page).nth(1)
    expect(listing).to_contain_text("「ごみ」のよくあるご質問")
    expect(listing.locator("button.fx-tap")).to_have_count(9)  # eight questions and "all"
    expect(bot_rows(page).last).to_contain_text("くわしく教えてください")
    expect(page.locator("#scores .verdict")).to_contain_text("「ごみ」の話題として")


def test_after_hours_not_found_offers_a_call_to_the_inquiry_line(page: Page, running):
    request(running.url + "/api/office-hours", b'{"mode": "closed"}', JSON)
    try:
        ask(page, "ワニを飼いたい")
        expect(bot_rows(page).last).to_contain_text("000-000-0000")
        expect(bot_rows(page).last.locator("button.fx-button")).to_have_text("電話で問い合わせる")
    finally:
        request(running.url + "/api/office-hours", b'{"mode": "auto"}', JSON)
