"""The preview page's controls in a real browser (Debian's chromium driven by Playwright): a
phone-width window, the office-hours switch, the staff reply box, reset, stickers and photos, and
the 職員対応中 menu during a hand-over."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from madoguchi.handover import replies
from tests.support.chat_page import DESKTOP, ask, bot_rows, open_chat
from tests.support.preview_server import post_event, request, running_preview

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    with running_preview(tmp_path_factory.mktemp("preview-controls")) as running:
        yield running


def open_page(browser, running, viewport) -> Iterator[Page]:
    # Each test is a new resident with the office hours of 設定, as after the reset button.
    request(running.url + "/api/reset", b"{}", {"Content-Type": "application/json"})
    body = b'{"mode": "auto"}'
    request(running.url + "/api/office-hours", body, {"Content-Type": "application/json"})
    with open_chat(browser, running.url, viewport) as page:
        expect(bot_rows(page)).to_have_count(1)  # the greeting
        yield page


@pytest.fixture
def page(browser, running) -> Iterator[Page]:
    yield from open_page(browser, running, DESKTOP)


@pytest.fixture
def phone(browser, running) -> Iterator[Page]:
    yield from open_page(browser, running, PHONE)


def outside_the_talk(page: Page) -> list:
    """Bubbles and cards that stick out of the talk area, sideways."""
    return page.evaluate(
        """() => {
          const talk = document.querySelector('#talk').getBoundingClientRect();
          return [...document.querySelectorAll('#talk .bubble, #talk .row > .flex-bubble')]
            .map((node) => node.getBoundingClientRect())
            .filter((r) => r.left < talk.left - 0.5 || r.right > talk.right + 0.5)
            .map((r) => [r.left, r.right, talk.left, talk.right]);
        }"""
    )


def test_a_phone_width_window_shows_every_bubble_whole(phone: Page, tmp_path):
    ask(phone, "マイナンバーカードをなくした")
    expect(bot_rows(phone).nth(3).locator("button.fx-tap")).to_have_count(3)
    ask(phone, "？")  # small talk: the categories come as quick replies
    phone.locator("#quick-replies button").first.click()  # a category's list
    expect(bot_rows(phone).last.locator(".flex-bubble")).to_be_visible()
    assert outside_the_talk(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = phone.locator(".phone").bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    phone.screenshot(path=str(tmp_path / "phone.png"))
    assert (tmp_path / "phone.png").stat().st_size > 10_000


def test_the_office_hours_switch_changes_what_the_hand_over_says(page: Page):
    page.select_option("#office-mode", "closed")
    expect(page.locator("#office-status")).to_contain_text("受付時間外として答えます")
    ask(page, "職員と話したい")
    expect(bot_rows(page).last).to_contain_text("受付時間外")
    page.locator("#richmenu-image .area[title='AIに戻る']").click()
    expect(bot_rows(page).last).to_contain_text("自動応答に戻りました")
    page.select_option("#office-mode", "open")
    expect(page.locator("#office-status")).to_contain_text("受付時間内として答えます")
    ask(page, "職員と話したい")
    expect(bot_rows(page).last).to_contain_text("職員におつなぎします")


def test_with_staff_the_resident_sees_the_staff_menu_until_going_back(page: Page):
    page.select_option("#office-mode", "open")  # whatever the day the tests run
    expect(page.locator("#office-status")).to_contain_text("受付時間内として答えます")
    expect(page.locator("#chatbar")).to_have_text("メニュー ▾")
    ask(page, "職員と話したい")
    expect(page.locator("#chatbar")).to_have_text("職員対応中 ▾")
    expect(page.locator("#richmenu-image .area")).to_have_count(2)
    ask(page, "転入届のことで相談です")
    expect(bot_rows(page).last).to_contain_text(replies.RECEIVED_TEXT)
    page.locator("#richmenu-image .area[title='質問一覧']").click()
    expect(bot_rows(page).last).to_contain_text("分野を選んでください")
    page.locator("#richmenu-image .area[title='AIに戻る']").click()
    expect(bot_rows(page).last).to_contain_text(replies.SENT_TO_STAFF_TEXT)
    expect(page.locator("#chatbar")).to_have_text("メニュー ▾")


def test_the_staff_reply_box_pushes_to_the_resident(page: Page, running):
    ask(page, "職員と話したい")
    page.fill("#staff-text", "お問い合わせありがとうございます。担当の山田です。")
    page.click("#staff-send")
    staff = page.locator("#talk .row.staff .bubble")
    expect(staff).to_have_text("お問い合わせありがとうございます。担当の山田です。")
    pushed = running.preview.line.delivered("/v2/bot/message/push")[-1]
    assert pushed == [
        {"type": "text", "text": "お問い合わせありがとうございます。担当の山田です。"}
    ]
    pushes = running.preview.line.requests_to("/v2/bot/message/push")
    assert pushes[-1].body["to"] == running.preview.user_id


def test_reset_starts_again_as_a_new_resident(page: Page, running):
    ask(page, "職員と話したい")
    expect(page.locator("#chatbar")).to_have_text("職員対応中 ▾")
    resident = running.preview.user_id
    page.click("#reset")
    expect(page.locator("#talk .row.user")).to_have_count(0)
    expect(bot_rows(page)).to_have_count(1)
    expect(bot_rows(page).first).to_contain_text("友だち追加ありがとうございます")
    expect(page.locator("#chatbar")).to_have_text("メニュー ▾")
    assert running.preview.user_id != resident
    ask(page, "住民票の写しはどこで取れますか")
    expect(bot_rows(page).nth(1)).to_contain_text("■ ")  # answered, not held for staff


@pytest.mark.parametrize(
    ("button", "shown"), [("#send-sticker", "(スタンプ)"), ("#send-photo", "(写真)")]
)
def test_stickers_and_photos_get_the_short_hint(page: Page, running, button, shown):
    page.click(button)
    expect(page.locator("#talk .row.user .bubble").last).to_have_text(shown)
    hint = running.preview.webhook.DEPS.index.current().settings.unsupported_message
    expect(bot_rows(page).last.locator(".bubble")).to_have_text(hint)
    kinds = post_event(running.url, {"kind": "sticker"})
    assert kinds[0] == 200 and kinds[1]["messages"][0]["text"] == hint


def test_the_notice_dry_run_button_says_what_saving_would_do(page: Page, running):
    page.click("#notice-dry-run")
    result = page.locator("#notice-result")
    expect(result).to_contain_text("送らずに確かめた結果")
    expect(result).to_contain_text("お知らせ: なし")
    assert running.preview.line.broadcasts.sent == []


def test_the_shelter_button_sends_a_location_and_shows_the_nearest(page: Page):
    ask(page, "避難所どこ")
    location_button = page.locator("#quick-replies button", has_text="位置情報を送る")
    page.once("dialog", lambda dialog: dialog.accept("35.6120,138.5190"))
    location_button.click()
    expect(page.locator("#talk .row.user .bubble").last).to_have_text("(位置情報)")
    expect(bot_rows(page).last.locator(".location strong")).to_have_text(
        "📍 星見ヶ丘市立 星見ヶ丘小学校"
    )


def test_a_resident_in_danger_sees_call_buttons_and_can_reach_staff(page: Page):
    page.select_option("#office-mode", "open")
    expect(page.locator("#office-status")).to_contain_text("受付時間内として答えます")
    ask(page, "しにたい")
    lines = page.locator("#talk .flex-bubble").last
    expect(lines).to_contain_text("いま電話で話せる窓口")
    call = lines.locator("button.fx-button.primary", has_text="電話する 0120-279-338")
    expect(call).to_have_attribute("title", "tel:0120279338")
    call.click()  # a phone would dial; the page only says which number
    expect(page.locator("#talk .note").last).to_contain_text("0120279338 に電話がかかるボタン")
    expect(bot_rows(page).last).to_contain_text("このトークで話すこともできます")
    page.locator("#quick-replies button", has_text="職員に相談").click()
    expect(bot_rows(page).last).to_contain_text("職員におつなぎします")
