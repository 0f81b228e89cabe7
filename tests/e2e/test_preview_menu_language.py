"""The preview shows the rich menu in the language the resident writes in (the sample workbook
translates its メニュー sheet), with the labels exposed to assistive technology."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.support.chat_page import ask, bot_rows, open_chat
from tests.support.preview_server import running_preview

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    with running_preview(tmp_path_factory.mktemp("preview-menu-language")) as running:
        yield running


@pytest.fixture
def page(browser, running) -> Iterator[Page]:
    with open_chat(browser, running.url) as page:
        yield page


def labels(page: Page) -> list[str]:
    return page.locator("#richmenu-image .area").evaluate_all(
        "areas => areas.map(a => a.getAttribute('aria-label'))"
    )


def test_the_menu_follows_the_residents_language_and_its_tabs_switch(page: Page, tmp_path):
    expect(page.locator("#richmenu-image .area").first).to_have_attribute(
        "aria-label", "「防災」タブ"
    )
    ask(page, "Tôi muốn vứt rác cồng kềnh thì làm thế nào?")
    expect(bot_rows(page)).not_to_have_count(1)
    areas = page.locator("#richmenu-image .area")
    expect(areas.first).to_have_attribute("aria-label", "Thiên tai")
    assert "Nơi sơ tán gần đây" in labels(page)
    page.screenshot(path=str(tmp_path / "menu-vi.png"))
    # Its tabs switch among the Vietnamese menus.
    page.locator("#richmenu-image .area[data-action=richmenuswitch]").nth(2).click()
    expect(areas.nth(5)).to_have_attribute("aria-label", "Rác cồng kềnh")
    # Japanese again: the Japanese menu everyone sees.
    ask(page, "住民票の写しの取り方")
    expect(areas.first).to_have_attribute("aria-label", "「防災」タブ")
