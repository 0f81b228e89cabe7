"""The local preview over real HTTP on loopback: the page's JSON API driving the real indexer and
webhook handlers, the loopback LINE API, local storage and SQLite; and scripts/preview.py as a
program (busy port, Ctrl-C)."""

from __future__ import annotations

import io
import json
import os
import queue
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from madoguchi.clock import JST, japan_today, utc_now
from madoguchi.language import texts
from madoguchi.line import messages, postback
from madoguchi.richmenu.spec import STAFF_ALIAS, staff_alias
from madoguchi.richmenu.staff_menu import staff_languages
from madoguchi.staff_report.period import last_days, period_text
from madoguchi_dev.preview.server import PortInUseError, Preview, PreviewPaths, serve
from tests.support.clock import FixedClock
from tests.support.preview_server import (
    REPO,
    SAMPLE_WORKBOOK,
    broken_workbook,
    edited_sample,
    get_json,
    post_event,
    request,
    running_preview,
    upload_workbook,
)

QUESTION = (
    "マイナンバーカードをなくした"  # answered at once: the FAQ is sure and has no close sibling
)


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    with running_preview(tmp_path_factory.mktemp("preview")) as running:
        yield running


def ask(running, text: str) -> dict:
    status, result = post_event(running.url, {"kind": "message", "text": text})
    assert status == 200, result
    assert result["status"] == 200
    return result


def tap(running, data: str, params: dict | None = None) -> dict:
    payload: dict[str, object] = {"kind": "postback", "data": data}
    if params:
        payload["params"] = params
    status, result = post_event(running.url, payload)
    assert status == 200, result
    assert result["status"] == 200
    return result


def index_of(running):
    index = running.preview.webhook.DEPS.index.current()
    assert index is not None
    return index


def candidate_actions(flex: dict) -> list[dict]:
    """The postback actions of the candidates card, in order."""
    rows = flex["contents"]["body"]["contents"]
    return [row["action"] for row in rows if "action" in row]


def questions_asked(report: bytes) -> int:
    sheet = load_workbook(io.BytesIO(report))["概要"]
    for label, value, *_ in sheet.iter_rows(values_only=True):
        if label == "質問数":
            return value
    raise AssertionError("no 質問数 row in 概要")


# --- what the page loads --------------------------------------------------------------------
def test_workbook_on_disk_is_published_at_start(running):
    assert running.started["published"] is True
    assert running.started["status"] == "published"
    assert "結果: 公開しました。" in running.started["text"]


def test_page_and_its_files_are_served(running):
    status, headers, body = request(running.url + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<script src="/static/app.js">' in body.decode()
    status, headers, _ = request(running.url + "/static/app.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    # Only the page's own files: a path outside static/ is not found.
    assert request(running.url + "/static/preview.py")[0] == 404
    assert request(running.url + "/static/../preview.py")[0] == 404


def test_state_has_the_city_name_and_four_tabbed_rich_menus(running):
    state = get_json(running.url + "/api/state")
    assert state["account_name"] == "星見ヶ丘市"
    assert re.search(r"公開中のFAQ \d+件", state["index_summary"])
    assert re.search(r"作成 \d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}", state["index_summary"])
    menus = state["richmenu"]["menus"]
    aliases = dict(state["richmenu"]["aliases"])
    staff = aliases.pop(STAFF_ALIAS)  # the 職員対応中 menu, linked to one resident at a time
    # … and one in each language Madoguchi speaks, translated tabs or not.
    translated_staff = {lang: aliases.pop(staff_alias(lang)) for lang in staff_languages()}
    for language, menu_id in translated_staff.items():
        assert menus[menu_id]["chatBarText"] == texts.TEXTS[language][texts.STAFF_MENU_BAR]
    # Four Japanese tabs, and four for each language the sample translates the menu into.
    by_language: dict[str, set[str]] = {}
    for alias in aliases:
        language = alias.split("-")[2] if alias.count("-") == 2 else ""
        by_language.setdefault(language, set()).add(alias)
    assert {k: len(v) for k, v in by_language.items()} == {
        "": 4,
        "en": 4,
        "vi": 4,
        "ko": 4,
        "zh": 4,
    }
    assert len(menus) == 21 + len(staff_languages()) and menus[staff]["chatBarText"] == "職員対応中"
    assert set(aliases.values()) == set(menus) - {staff, *translated_staff.values()}
    assert state["richmenu"]["default"] in menus and state["richmenu"]["linked"] is None
    language_of = {
        menu: alias.split("-")[2] if alias.count("-") == 2 else ""
        for alias, menu in aliases.items()
    }
    for menu_id, menu in menus.items():
        if menu_id == staff or menu_id in translated_staff.values():
            continue
        switches = [a["action"] for a in menu["areas"] if a["action"]["type"] == "richmenuswitch"]
        switched = {s["richMenuAliasId"] for s in switches}
        assert switched == by_language[language_of[menu_id]], menu_id
        status, headers, image = request(f"{running.url}/api/richmenu/{menu_id}/image")
        assert status == 200 and headers["Content-Type"] == "image/png"
        assert image.startswith(b"\x89PNG\r\n\x1a\n")
    assert request(running.url + "/api/richmenu/richmenu-none/image")[0] == 404


# --- what residents do ----------------------------------------------------------------------
def test_follow_gets_the_greeting(running):
    status, result = post_event(running.url, {"kind": "follow"})
    assert status == 200
    settings = index_of(running).settings
    greeting = messages.fill(settings.greeting, city_name=settings.city_name)
    assert [m["text"] for m in result["messages"]] == [greeting]
    assert "星見ヶ丘市" in greeting
    assert result["search"] is None


def test_question_gets_the_best_answer_and_three_candidates_with_scores(running):
    result = ask(running, QUESTION)
    search = result["search"]
    assert search["query"] == QUESTION and search["answered"] is True
    hits = search["hits"]
    assert len(hits) >= 4
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert search["confidence"] >= search["threshold"]
    assert search["confidence"] == hits[0]["confidence"]

    best = index_of(running).faq(hits[0]["id"])
    answer, contact, card = result["messages"][:3]
    assert answer == {"type": "text", "text": messages.answer_text(best)}
    assert "マイナンバーカード" in best.question
    # The alt text a screen reader reads: the question, then its department's contact.
    assert contact["altText"] == (
        f"「{best.question}」の{messages.CONTACT_TITLE}："
        "市民課、電話 0120-000-101、受付時間 平日 8:30〜17:15"
    )
    assert card["type"] == "flex"
    tapped = [postback.decode(action["data"]) for action in candidate_actions(card)]
    candidate = postback.Source.CANDIDATE
    assert tapped == [postback.ShowFaq(hit["id"], candidate) for hit in hits[1:4]]


def test_tapping_a_candidate_shows_that_answer(running):
    card = ask(running, QUESTION)["messages"][2]
    second = candidate_actions(card)[1]
    faq = index_of(running).faq(postback.decode(second["data"]).faq_id)
    result = tap(running, second["data"])
    answer, contact = result["messages"]  # the sample's 担当課 sheet lists its department
    assert answer["text"] == messages.answer_text(faq)
    assert contact["type"] == "flex" and faq.department in contact["altText"]
    assert result["search"] is None


def test_category_postback_lists_that_categorys_questions(running):
    index = index_of(running)
    result = tap(running, postback.encode(postback.ListCategory("ごみ")))
    (listing,) = result["messages"]
    assert listing["type"] == "flex"
    assert "ごみ" in listing["altText"]
    shown = {postback.decode(a["data"]) for a in candidate_actions(listing)}
    listed = postback.Source.CATEGORY
    in_category = {postback.ShowFaq(f.id, listed) for f in index.faqs_in_category("ごみ")}
    faq_buttons = {s for s in shown if isinstance(s, postback.ShowFaq)}
    assert faq_buttons and faq_buttons <= in_category


def test_rich_menu_buttons_do_what_their_areas_say(running):
    state = get_json(running.url + "/api/state")
    index = index_of(running)
    actions = [
        area["action"]
        for menu in state["richmenu"]["menus"].values()
        for area in menu["areas"]
        if area["action"]["type"] != "richmenuswitch"
    ]
    faq_button = next(
        a for a in actions if a["type"] == "postback" and a["data"].startswith("a=faq&")
    )
    faq = index.faq(postback.decode(faq_button["data"]).faq_id)
    answer, *contact = tap(running, faq_button["data"])["messages"]
    assert answer["text"] == messages.answer_text(faq)
    assert [m["type"] for m in contact] == ["flex"]  # its department's contact

    message_button = next(a for a in actions if a["type"] == "message")
    result = ask(running, message_button["text"])
    assert result["search"]["answered"] is True
    assert result["messages"][0]["text"].startswith("■ ")


def test_tab_switch_postback_reaches_the_webhook_and_gets_no_answer(running):
    state = get_json(running.url + "/api/state")
    menu = state["richmenu"]["menus"][state["richmenu"]["default"]]
    switch = next(a["action"] for a in menu["areas"] if a["action"]["type"] == "richmenuswitch")
    params = {"newRichMenuAliasId": switch["richMenuAliasId"], "status": "SUCCESS"}
    before = len(running.preview.line.requests_to("/v2/bot/message/reply"))
    result = tap(running, switch["data"], params)
    assert result["messages"] == []
    assert len(running.preview.line.requests_to("/v2/bot/message/reply")) == before


def test_unknown_event_kind_is_a_clear_400(running):
    status, result = post_event(running.url, {"kind": "video"})
    assert status == 400
    assert result["error"].startswith("送信できませんでした")
    status, _, body = request(
        running.url + "/api/events", b"{not json", {"Content-Type": "application/json"}
    )
    assert status == 400 and "送信できませんでした" in body.decode()


# --- the staff report -------------------------------------------------------------------------
def test_report_download_is_a_workbook_counting_the_questions_asked(running):
    status, headers, before = request(running.url + "/api/report.xlsx")
    assert status == 200
    assert headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in headers["Content-Disposition"]
    asked_before = questions_asked(before)
    ask(running, "住民票の写しはどこで取れますか")
    ask(running, "燃やすごみの収集日")
    status, _, after = request(running.url + "/api/report.xlsx")
    assert status == 200
    assert questions_asked(after) == asked_before + 2
    book = load_workbook(io.BytesIO(after))
    assert "よく検索された言葉" in book.sheetnames
    # The period scripts/report.py uses by default, from the preview's own clock.
    since, until = last_days(japan_today(running.preview.clock))
    assert book["概要"]["A2"].value.startswith(f"期間:{period_text(since, until)}")


# --- what the page lets staff try ------------------------------------------------------------
def control(running, path: str, body: dict) -> tuple[int, dict]:
    data = json.dumps(body, ensure_ascii=False).encode()
    status, _, raw = request(running.url + path, data, {"Content-Type": "application/json"})
    return status, json.loads(raw)


def test_the_office_hours_switch_decides_the_hand_over_reply_and_reset_starts_again(running):
    status, office = control(running, "/api/office-hours", {"mode": "closed"})
    assert status == 200 and office["mode"] == "closed" and office["open_now"] is False
    (reply,) = ask(running, "職員と話したい")["messages"]
    assert reply["text"].startswith("ただいま受付時間外です。")
    assert running.preview.linked_menu() is not None  # the 職員対応中 menu
    written = ask(running, "転入届のことで相談です")
    assert written["search"] is None  # written to staff: not searched, no scores
    assert written["linked_menu"] == running.preview.linked_menu()
    resident = running.preview.user_id
    assert control(running, "/api/reset", {}) == (200, {"reset": True})
    assert running.preview.user_id != resident and running.preview.linked_menu() is None
    assert control(running, "/api/office-hours", {"mode": "open"})[1]["open_now"] is True
    (reply,) = ask(running, "職員と話したい")["messages"]
    assert reply["text"].startswith("職員におつなぎします。")
    assert control(running, "/api/office-hours", {"mode": "sometimes"})[0] == 400
    control(running, "/api/reset", {})
    control(running, "/api/office-hours", {"mode": "auto"})


def test_the_staff_reply_is_a_push_through_the_line_api(running):
    status, sent = control(running, "/api/staff-reply", {"text": "担当の山田です。"})
    assert status == 200 and sent["messages"] == [{"type": "text", "text": "担当の山田です。"}]
    (push,) = running.preview.line.requests_to("/v2/bot/message/push")[-1:]
    assert push.status == 200 and push.body["to"] == running.preview.user_id
    assert push.headers["authorization"] == f"Bearer {running.preview.access_token}"
    assert control(running, "/api/staff-reply", {"text": "  "})[0] == 400


@pytest.mark.parametrize("kind", ["sticker", "image"])
def test_stickers_and_photos_reach_the_webhook_as_line_sends_them(running, kind):
    status, result = post_event(running.url, {"kind": kind})
    assert status == 200 and result["status"] == 200
    hint = index_of(running).settings.unsupported_message
    assert [m["text"] for m in result["messages"]] == [hint]


# --- staff trying workbooks (these change what is published, so they run last) ---------------
def test_broken_workbook_is_refused_with_row_numbers_and_the_old_answers_stay(running):
    answered_before = ask(running, QUESTION)["search"]["hits"][0]["id"]
    broken = broken_workbook()
    outcome = upload_workbook(running.url, broken, "壊れたFAQ.xlsx")
    assert outcome["published"] is False
    assert outcome["status"] == "refused"
    text = outcome["report_text"]
    assert not text.startswith("\ufeff")
    assert "公開できませんでした" in text
    assert "壊れたFAQ.xlsx" in text
    assert "FAQシート 3行目" in text and "(A3)" in text  # the repeated ID
    assert "FAQシート 4行目" in text and "(F4)" in text  # the empty answer
    assert outcome["report"]["error_count"] == 2

    result = ask(running, QUESTION)
    assert result["search"]["answered"] is True
    assert result["search"]["hits"][0]["id"] == answered_before
    assert get_json(running.url + "/api/state")["account_name"] == "星見ヶ丘市"


def test_valid_edited_workbook_is_published_and_putting_the_old_one_back_restores_it(running):
    best_id = ask(running, QUESTION)["search"]["hits"][0]["id"]
    new_answer = "粗大ごみは、毎月第2土曜日に清掃センターへ持ち込めます(テスト用の新しい回答)。"
    outcome = upload_workbook(running.url, edited_sample({best_id: new_answer}), "faq.xlsx")
    assert outcome["published"] is True, outcome["report_text"]
    assert new_answer in ask(running, QUESTION)["messages"][0]["text"]

    # The same bytes as the start-up workbook: a versioned bucket takes it as a new upload.
    outcome = upload_workbook(running.url, SAMPLE_WORKBOOK.read_bytes(), "faq.xlsx")
    assert outcome["published"] is True, outcome["report_text"]
    assert new_answer not in ask(running, QUESTION)["messages"][0]["text"]


def test_saving_the_workbook_on_disk_republishes_it(running):
    best_id = ask(running, QUESTION)["search"]["hits"][0]["id"]
    new_answer = "保存したワークブックから公開された回答です(ファイル監視のテスト)。"
    edited = edited_sample({best_id: new_answer})
    running.workbook.write_bytes(edited)
    stat = running.workbook.stat()
    os.utime(running.workbook, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if new_answer in ask(running, QUESTION)["messages"][0]["text"]:
            break
        time.sleep(0.5)
    else:
        pytest.fail("the saved workbook was not published within 20 seconds")


# --- the program --------------------------------------------------------------------------------
def preview_command(port: int, workbook: Path, data_dir: Path) -> list[str]:
    """The command line staff type, run with this Python."""
    script = REPO / "scripts" / "preview.py"
    options = ["--port", str(port), "--workbook", str(workbook), "--data-dir", str(data_dir)]
    return [sys.executable, str(script), *options]


def script_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{REPO / 'layers' / 'madoguchi'}{os.pathsep}{REPO}"}


def test_busy_port_raises_port_in_use(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        preview = Preview(PreviewPaths(repo=REPO, workbook=SAMPLE_WORKBOOK, data=tmp_path))
        with pytest.raises(PortInUseError) as raised:
            serve(preview, "127.0.0.1", port)
        assert str(port) in str(raised.value)


def test_script_on_a_busy_port_explains_in_japanese_and_exits_1(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            preview_command(port, SAMPLE_WORKBOOK, tmp_path / "data"),
            capture_output=True,
            text=True,
            timeout=60,
            env=script_env(),
        )
    assert done.returncode == 1, done.stderr
    assert f"ポート {port} はほかのプログラムが使っています" in done.stderr
    assert f"--port {port + 1}" in done.stderr
    assert "Traceback" not in done.stderr


def test_script_stops_cleanly_on_ctrl_c(tmp_path):
    workbook = tmp_path / "faq.xlsx"
    workbook.write_bytes(SAMPLE_WORKBOOK.read_bytes())
    process = subprocess.Popen(
        preview_command(0, workbook, tmp_path / "data"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=script_env(),
        # As in a terminal: a runner that started us in the background may ignore SIGINT,
        # and Python then never turns Ctrl-C into KeyboardInterrupt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout])
    reader.start()
    try:
        started = ""
        deadline = time.monotonic() + 60
        while "起動しました" not in started:
            started = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        url = re.search(r"http://127\.0\.0\.1:\d+/", started).group(0)
        # The page answers at once, also while the first publish runs (「準備中」).
        status, _, page = request(url)
        assert status == 200 and "準備中" in page.decode()
        # A browser that goes away before the answer is written costs no traceback.
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        for _ in range(20):
            with socket.create_connection(("127.0.0.1", port)) as gone:
                gone.sendall(b"GET /static/app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                # Closed with a reset, before reading a byte of the answer.
                gone.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        while "準備ができました" not in started:
            started = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        assert get_json(url + "api/state")["account_name"] == "星見ヶ丘市"

        interrupted = time.monotonic()
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=10)
        stopped_in = time.monotonic() - interrupted
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=5)
    rest = "".join(lines.get_nowait() for _ in range(lines.qsize()))
    errors = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    assert code == 0, errors
    assert stopped_in < 5
    assert "窓口プレビューを止めました" in rest
    assert "Traceback" not in errors


def test_staff_mail_appears_in_the_outbox_for_uploads_and_hand_overs(running):
    outbox = get_json(running.url + "/api/state")["outbox"]
    assert any(m["subject"].startswith("[窓口] FAQを公開しました") for m in outbox)
    earlier = len([m for m in outbox if "職員への相談が届きました" in m["subject"]])
    status, result = post_event(running.url, {"kind": "message", "text": "職員と話したい"})
    assert status == 200 and result["messages"]
    outbox = get_json(running.url + "/api/state")["outbox"]
    handover = [m for m in outbox if "職員への相談が届きました" in m["subject"]]
    assert len(handover) == earlier + 1, [m["subject"] for m in outbox]  # newest first
    assert handover[0]["subject"].startswith("【星見ヶ丘市 LINE窓口】")
    # The resident is named by a salted reference, never by the LINE user id.
    assert running.preview.user_id not in handover[0]["message"]
    post_event(running.url, {"kind": "message", "text": "AIに戻る"})


def test_a_restart_starts_storage_afresh_but_keeps_the_vector_cache(tmp_path):
    cache = tmp_path / "data" / "storage" / "indexes" / "vectors-cache" / "e5.bin"
    stale = tmp_path / "data" / "storage" / "indexes" / "current.json"
    for path, data in ((cache, b"vectors of the last run"), (stale, b"{}")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    with running_preview(tmp_path) as running:
        assert running.started["published"]
        assert cache.read_bytes() == b"vectors of the last run"
        assert stale.read_bytes() != b"{}"  # the workbook was published afresh


def sample_with(settings: dict[str, str]) -> bytes:
    """The sample workbook with some 設定 values replaced, as staff would save it."""
    book = load_workbook(SAMPLE_WORKBOOK)
    sheet = book["設定"]
    left = dict(settings)
    for row in range(2, sheet.max_row + 1):
        key = sheet.cell(row=row, column=1).value
        if key in left:
            sheet.cell(row=row, column=2, value=left.pop(key))
    assert not left, f"no such settings in the sample: {sorted(left)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def dry_run(running) -> dict:
    """The staff panel's 「お知らせを配信」 button."""
    headers = {"Content-Type": "application/json"}
    status, _, body = request(running.url + "/api/notice-dry-run", b"{}", headers)
    assert status == 200, body
    return json.loads(body)


def test_the_notice_dry_run_sends_nothing_and_the_published_notice_goes_out_once(running):
    assert "お知らせ: なし" in dry_run(running)["text"]
    # Active from its publish until it is taken out: the test needs no particular day.
    notice = "台風の接近にともない、避難所を開設しました(プレビューの試験)。"
    asked = sample_with(
        {"お知らせ": notice, "お知らせ中のメニュー": "防災", "お知らせの配信": "する"}
    )
    line = running.preview.line.broadcasts
    try:
        outcome = upload_workbook(running.url, sample_with({"お知らせ": notice}), "faq.xlsx")
        assert "配信: しません" in outcome["report_text"]
        dry = dry_run(running)
        assert dry["broadcast"]["status"] == "off" and line.sent == []
        assert dry["messages"][0]["contents"]["body"]["contents"][1]["text"] == notice

        outcome = upload_workbook(running.url, asked, "faq.xlsx")
        assert outcome["published"] is True, outcome["report_text"]
        assert "配信: 友だち 約100人に送りました" in outcome["report_text"]
        assert "LINEのメニューで最初に開くタブ: 「防災」" in outcome["report_text"]
        [sent] = get_json(running.url + "/api/broadcasts")["broadcasts"]
        assert sent["recipients"] == 100
        assert sent["messages"][0]["altText"].startswith(f"【お知らせ】{notice}")
        assert dry_run(running)["broadcast"]["status"] == "already_sent"
        assert len(line.sent) == 1  # the dry run sent nothing
        outbox = get_json(running.url + "/api/state")["outbox"]
        assert "友だち 約100人に送りました" in outbox[0]["message"]
    finally:
        upload_workbook(running.url, SAMPLE_WORKBOOK.read_bytes(), "faq.xlsx")


def notice_check(running) -> dict:
    """One run of the indexer's notice check (the preview runs it every minute)."""
    headers = {"Content-Type": "application/json"}
    status, _, body = request(running.url + "/api/notice-check", b"{}", headers)
    assert status == 200, body
    return json.loads(body)


def test_a_notice_starting_later_is_shown_as_scheduled_and_sent_by_the_check_at_its_start(
    running,
):
    # A start a day after the preview's own now, whatever day the test runs.
    start = (utc_now(running.preview.clock) + timedelta(days=1)).astimezone(JST)
    start = start.replace(minute=0, second=0, microsecond=0)
    notice = "明日、避難所を開設します(プレビューの予約配信の試験)。"
    later = sample_with(
        {
            "お知らせ": notice,
            "お知らせの開始": start.strftime("%Y-%m-%d %H:%M"),
            "お知らせの配信": "する",
        }
    )
    indexer = running.preview.indexer
    deps = indexer.DEPS
    line = running.preview.line.broadcasts
    before = len(line.sent)
    try:
        outcome = upload_workbook(running.url, later, "faq.xlsx")
        when = f"{start.month}月{start.day}日 {start.hour}:00"
        assert f"開始時刻 {when} になったら自動で配信します" in outcome["report_text"]
        assert dry_run(running)["broadcast"]["status"] == "scheduled"
        assert notice_check(running)["notice"] == "scheduled"
        assert len(line.sent) == before

        indexer.DEPS = replace(deps, clock=FixedClock(start))  # the check at the start
        assert notice_check(running) == {"notice": "sent", "mailed": True, "recipients": 100}
        assert notice_check(running)["notice"] == "already_sent"
        assert len(line.sent) == before + 1
        [sent, *_] = get_json(running.url + "/api/broadcasts")["broadcasts"]
        assert sent["messages"][0]["altText"].startswith(f"【お知らせ】{notice}")
        outbox = get_json(running.url + "/api/state")["outbox"]
        assert "自動で友だち 約100人に配信しました" in outbox[0]["message"]
    finally:
        indexer.DEPS = deps
        upload_workbook(running.url, SAMPLE_WORKBOOK.read_bytes(), "faq.xlsx")


def test_a_location_from_the_picker_gets_the_sample_citys_nearest_shelters(running):
    status, result = post_event(running.url, {"kind": "location", "text": "35.6120,138.5190"})
    assert status == 200, result
    text, location = result["messages"]
    assert text["text"].startswith("いま開設している避難所はありません。")  # the sample opens none
    assert location["type"] == "location" and location["title"] == "星見ヶ丘市立 星見ヶ丘小学校"
    asked = ask(running, "避難所どこ")["messages"][0]
    assert asked["quickReply"]["items"][0]["action"]["type"] == "location"


def test_before_the_first_publish_the_page_is_served_and_the_chat_says_it_is_preparing(tmp_path):
    with running_preview(tmp_path, held=True) as running:
        assert running.gate is not None and running.gate.waiting.wait(timeout=30)
        status, _, page = request(running.url + "/")
        assert "準備中" in page.decode()  # the 「準備中」 box is part of the page
        assert status == 200
        state = get_json(running.url + "/api/state")
        assert state["ready"] is False
        assert state["activity"] == "faq.xlsx を確認して公開しています…"
        status, answer = post_event(running.url, {"kind": "message", "text": QUESTION})
        assert status == 503 and answer["preparing"] is True and "準備中" in answer["error"]
        status, _, _ = request(running.url + "/api/report.xlsx")
        assert status == 503
        running.gate.open()
        deadline = time.monotonic() + 60
        while not running.preview.ready and time.monotonic() < deadline:
            time.sleep(0.1)
        state = get_json(running.url + "/api/state")
        assert state["ready"] is True and state["account_name"] == "星見ヶ丘市"
        assert ask(running, QUESTION)["messages"]


def test_the_scheduled_reports_are_made_as_in_aws_with_their_mail(running):
    ask(running, QUESTION)
    made: dict[str, dict] = {}
    for period in ("monthly", "weekly"):
        status, _, body = request(
            running.url + "/api/scheduled-report",
            json.dumps({"period": period}).encode(),
            {"Content-Type": "application/json"},
        )
        assert status == 200, body
        made[period] = json.loads(body)
    assert re.fullmatch(r"search/\d{4}-\d{2}\.xlsx", made["monthly"]["report"])
    assert re.fullmatch(r"search/weekly/\d{4}-W\d{2}\.xlsx", made["weekly"]["report"])
    status, headers, data = request(running.url + made["monthly"]["download"])
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    assert "よく見られたFAQ" in load_workbook(io.BytesIO(data)).sheetnames
    outbox = get_json(running.url + "/api/state")["outbox"]
    subjects = [mail["subject"] for mail in outbox[:2]]
    assert any("(月次)" in s for s in subjects) and any("(週次)" in s for s in subjects)
    # Only scheduled reports can be read this way, and nothing else in the bucket.
    for name in ("../indexes/current.json", "search/../../indexes/current.json", "x.xlsx"):
        assert request(running.url + f"/api/search-report?name={name}")[0] == 404
    bad = request(running.url + "/api/scheduled-report", b'{"period": "daily"}', {})
    assert bad[0] == 400
