"""The preview's chat page in a browser tab, for the browser tests: open it, ask, read replies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

TIMEOUT_MS = 15_000
DESKTOP: ViewportSize = {"width": 1000, "height": 900}


@contextmanager
def open_chat(browser: Browser, url: str, viewport: ViewportSize = DESKTOP) -> Iterator[Page]:
    """A fresh browser context on the page; fails the test if the page raised a script error."""
    context = browser.new_context(viewport=viewport, locale="ja-JP")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "/")
    yield page
    context.close()
    assert errors == [], f"the page raised: {errors}"


def bot_rows(page: Page) -> Locator:
    return page.locator("#talk .row.bot")


def ask(page: Page, text: str) -> None:
    """Type a question and wait for the bot's reply to it."""
    before = bot_rows(page).count()
    page.fill("#message", text)
    page.press("#message", "Enter")
    expect(page.locator("#talk .row.user .bubble").last).to_have_text(text)
    expect(bot_rows(page)).not_to_have_count(before)  # answer and card arrive together
