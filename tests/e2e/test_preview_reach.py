"""The preview as residents with large text, narrow phones, screen readers and other languages
see it, in a real browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from madoguchi.language import texts
from tests.support.chat_page import ask, bot_rows, open_chat
from tests.support.preview_server import request, running_preview

pytestmark = pytest.mark.e2e

NARROW: ViewportSize = {"width": 320, "height": 640}  # the narrowest phones still in use


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    with running_preview(tmp_path_factory.mktemp("preview-reach")) as running:
        yield running


@pytest.fixture
def narrow(browser, running) -> Iterator[Page]:
    request(running.url + "/api/reset", b"{}", {"Content-Type": "application/json"})
    with open_chat(browser, running.url, NARROW) as page:
        expect(bot_rows(page)).to_have_count(1)  # the greeting
        yield page


def font_px(page: Page, selector: str) -> float:
    return page.evaluate(
        "(s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", selector
    )


def sticking_out(page: Page) -> list:
    """Bubbles, cards and their texts that reach past the talk area sideways."""
    return page.evaluate(
        """() => {
          const talk = document.querySelector('#talk').getBoundingClientRect();
          return [...document.querySelectorAll('#talk .bubble, #talk .flex-bubble, #talk .fx-text')]
            .map((node) => node.getBoundingClientRect())
            .filter((r) => r.left < talk.left - 0.5 || r.right > talk.right + 0.5)
            .map((r) => [r.left, r.right, talk.left, talk.right]);
        }"""
    )


def test_the_largest_text_on_a_320_px_phone_grows_and_still_fits(narrow: Page, tmp_path):
    ask(narrow, "粗大ごみの出し方を教えて")
    candidates = "#talk .row.bot:last-child .fx-text.scales"
    expect(narrow.locator(candidates).first).to_be_visible()
    usual_row, usual_text = font_px(narrow, candidates), font_px(narrow, "#talk .row.bot .bubble")
    narrow.screenshot(path=str(tmp_path / "usual.png"))

    narrow.click("#text-size")
    expect(narrow.locator("#text-size")).to_have_attribute("aria-pressed", "true")
    assert font_px(narrow, candidates) == pytest.approx(usual_row * 1.5)
    assert font_px(narrow, "#talk .row.bot .bubble") == pytest.approx(usual_text * 1.5)
    assert sticking_out(narrow) == []
    assert narrow.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    narrow.screenshot(path=str(tmp_path / "largest.png"))
    assert (tmp_path / "largest.png").stat().st_size > 10_000


def test_rich_menu_areas_are_named_for_screen_readers(narrow: Page):
    areas = narrow.locator("#richmenu-image button.area")
    expect(areas.first).to_be_attached()
    names = areas.evaluate_all("(nodes) => nodes.map((n) => n.getAttribute('aria-label'))")
    assert "「防災」タブ" in names and "「ごみ」タブ" in names
    assert not [n for n in names if not n or n.startswith("ボタン")], names


def test_an_english_question_gets_english_choices_and_the_translated_answer(narrow: Page):
    # (「Where is the evacuation shelter?」 now asks for the resident's location, as in Japanese.)
    ask(narrow, "Can I get a residence certificate at a convenience store?")
    choices = bot_rows(narrow).last
    expect(choices).to_contain_text(texts.TEXTS["en"][texts.CHOICES])
    first = choices.locator("button.fx-tap").first
    expect(first).to_contain_text(
        "How can I get a residence certificate or seal certificate at a convenience store?"
    )
    expect(narrow.locator("#quick-replies button")).to_have_text([texts.TEXTS["en"][texts.STAFF]])
    first.click()
    answer = narrow.locator("#talk .row.bot .bubble").last
    expect(answer).to_contain_text("With a My Number Card, you can get certificates")


def test_an_answer_ends_with_the_departments_call_button(narrow: Page):
    ask(narrow, "マイナンバーカードをなくした")
    contact = bot_rows(narrow).nth(2)
    expect(contact).to_contain_text("お問い合わせ先")
    expect(contact.locator("button.fx-button").first).to_have_text("電話する 0120-000-101")
