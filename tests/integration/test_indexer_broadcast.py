"""The notice's broadcast through the indexer handler: the token from SSM, the loopback LINE API
for quota, friends and broadcast, the record beside the live pointer in (moto) S3, and the mail
staff get. Sent once; retried safely with the same retry key; never over the quota, from a
refused upload or outside its period; an edited notice is sent again."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters

from madoguchi_dev.line_api import LineApiServer
from tests.support.clock import WEEKDAY_MORNING, FixedClock
from tests.support.indexer_aws import REGION
from tests.support.workbooks import FAQ_HEADER, make_workbook, sample_faqs

TOKEN = "broadcast-test-token"
TOKEN_PARAM = "/madoguchi/test/access-token"
NOTICE = "台風10号が近づいています。南中学校と北小学校に避難所を開設しました。"
URL = "https://www.city.hoshimigaoka.example.jp/bousai/"
BROADCAST = "/v2/bot/message/broadcast"
LINE_CALLS = (
    "/v2/bot/message/quota",
    "/v2/bot/message/quota/consumption",
    "/v2/bot/insight/followers",
    BROADCAST,
)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def workbook(
    text: str = NOTICE,
    *,
    broadcast: str = "する",
    shelter_latitude: float = 35.60,
    end: str = "2026-12-02 18:00",
) -> bytes:
    """A workbook with a notice from 9:00 to 18:00 on 2 December (WEEKDAY_MORNING is 10:00);
    `end` "" leaves it on until staff take it out."""
    return make_workbook(
        {
            "FAQ": [FAQ_HEADER, *sample_faqs()],
            "設定": [
                ["項目", "値"],
                ["お知らせ", text],
                ["お知らせのURL", URL],
                ["お知らせの開始", "2026-12-02 9:00"],
                ["お知らせの終了", end],
                ["お知らせ中のメニュー", "防災"],
                ["お知らせの配信", broadcast],
            ],
            "メニュー": [
                ["タブ", "ボタン", "動作", "値"],
                ["くらし", "住民票", "FAQ", "F003"],
                ["防災", "近くの避難所", "避難所", None],
                ["防災", "職員に相談", "職員に相談", None],
            ],
            "避難所": [
                ["名前", "緯度", "経度", "種別", "開設"],
                ["南中学校", shelter_latitude, 138.50, "指定避難所", "開設"],
            ],
        }
    )


@pytest.fixture
def line():
    server = LineApiServer(access_token=TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def indexer(line, monkeypatch, account):
    """The indexer handler reading its token from SSM, sending to the loopback LINE API, on a
    fixed clock."""
    parameters.clear_caches()
    boto3.client("ssm", region_name=REGION).put_parameter(
        Name=TOKEN_PARAM, Value=TOKEN, Type="SecureString"
    )
    clock = FixedClock(WEEKDAY_MORNING)
    account.clock = clock
    account.app.DEPS = replace(account.app.DEPS, clock=clock)
    account.uploads = 0
    return account


@pytest.fixture(autouse=True)
def line_env(line, monkeypatch):
    """Set before the `account` fixture imports the handler, which reads it at init."""
    monkeypatch.setenv("MADOGUCHI_CHANNEL_TOKEN_PARAM", TOKEN_PARAM)
    monkeypatch.setenv("MADOGUCHI_LINE_API_BASE", line.url)


def upload(indexer, data: bytes) -> tuple[dict, dict, str]:
    """Save a workbook and run the handler on its event: (report JSON, event, mail text)."""
    indexer.uploads += 1
    put = indexer.upload("uploads/faq.xlsx", data)
    event = indexer.event_for(
        "s3_object_created_japanese_key.json",
        put,
        key="uploads/faq.xlsx",
        event_time=f"2026-12-02T01:00:{indexer.uploads:02d}.000Z",
    )
    result = indexer.invoke(event)
    report = json.loads(indexer.read(result["processed"][0]["report"]))
    mails = indexer.messages()
    return report, event, mails[-1]["Message"] if mails else ""


def calls(line) -> list[str]:
    return [r.path.split("?")[0] for r in line.received if r.path.split("?")[0] in LINE_CALLS]


def test_an_active_notice_is_broadcast_once_after_reading_quota_and_friends(line, indexer):
    report, event, mail = upload(indexer, workbook())

    assert report["status"] == "published"
    assert calls(line) == list(LINE_CALLS)  # quota, what was used, friends; then the send
    [sent] = line.broadcasts.sent
    assert UUID.match(sent.retry_key or "")
    [bubble] = sent.messages
    assert bubble["altText"].startswith("【お知らせ】台風10号")
    assert bubble["contents"]["body"]["contents"][1]["text"] == NOTICE
    buttons = [b["action"] for b in bubble["contents"]["footer"]["contents"]]
    assert buttons[0] == {"type": "uri", "label": "くわしく見る", "uri": URL}
    assert buttons[1]["uri"] == "https://line.me/R/nv/location/"  # the 防災 tab's first button
    assert report["notice"]["broadcast"] == {
        "status": "sent",
        "recipients": 100,
        "sent_at": "2026-12-02T01:00:00.000000Z",
    }
    assert "■ お知らせ" in mail and "お知らせ: 出しています。" in mail
    assert "期間: 2026年12月2日 9:00 から 2026年12月2日 18:00(日本時間)" in mail
    assert "LINEのメニューで最初に開くタブ: 「防災」" in mail
    assert "配信: 友だち 約100人に送りました(2026年12月2日 10:00(日本時間))" in mail
    [record_key] = indexer.keys("indexes/broadcasts/")  # beside the live pointer
    record = json.loads(indexer.read(record_key))
    assert record["state"] == "sent" and record["retry_key"] == sent.retry_key

    # The same event again (S3 redelivers), then the same workbook saved again: nothing more.
    line.received.clear()
    assert indexer.invoke(event)["processed"][0]["status"] == "duplicate"
    again, _, mail = upload(indexer, workbook())
    assert again["status"] == "published"
    assert again["notice"]["broadcast"]["status"] == "already_sent"
    assert "送ってあるので、もう一度は送りません" in mail
    assert calls(line) == [] and len(line.broadcasts.sent) == 1


def test_a_lost_answer_is_sent_again_with_the_same_key_and_reaches_friends_once(line, indexer):
    line.broadcasts.lose_next_answer()  # LINE takes it, but its answer never arrives
    report, _, mail = upload(indexer, workbook())
    assert report["notice"]["broadcast"]["status"] == "failed"
    assert "二重に届くことなく送り直します" in mail
    [first] = line.broadcasts.sent

    line.received.clear()
    report, _, mail = upload(indexer, workbook())  # staff save again, as the mail says
    assert report["notice"]["broadcast"]["status"] == "sent"
    [retry] = line.requests_to(BROADCAST)
    assert retry.headers["x-line-retry-key"] == first.retry_key and retry.status == 409
    assert calls(line) == [BROADCAST]  # resumed: the quota was already checked for this send
    assert len(line.broadcasts.sent) == 1
    assert "友だち 約100人に送りました" in mail


def test_a_quota_that_would_run_out_sends_nothing_and_says_so(line, indexer):
    line.broadcasts.quota_limit, line.broadcasts.used = 1_000, 950  # 50 left for 100 friends
    report, _, mail = upload(indexer, workbook())
    assert report["status"] == "published"
    assert report["notice"]["broadcast"] == {"status": "quota", "recipients": 100, "remaining": 50}
    assert "今月送れるメッセージが足りないためです(友だち 約100人、今月の残り 50通)" in mail
    assert calls(line) == list(LINE_CALLS[:3]) and line.broadcasts.sent == []

    line.broadcasts.quota_limit = 5_000  # the plan was raised; saving again sends it
    report, _, _ = upload(indexer, workbook())
    assert report["notice"]["broadcast"]["status"] == "sent"
    assert len(line.broadcasts.sent) == 1


def test_a_refused_upload_never_broadcasts(line, indexer):
    report, _, mail = upload(indexer, workbook(shelter_latitude=3.6))  # outside Japan
    assert report["status"] == "refused"
    assert calls(line) == [] and line.broadcasts.sent == []
    assert "このファイルのお知らせは配信していません" in mail
    assert "緯度 3.6・経度 138.5 は日本の外です。" in mail


def test_an_edited_notice_is_a_new_notice_and_goes_out_again(line, indexer):
    upload(indexer, workbook())
    edited = NOTICE + "西公民館も開設しました。"
    report, _, _ = upload(indexer, workbook(edited))
    assert report["notice"]["broadcast"]["status"] == "sent"
    assert [
        b.messages[0]["contents"]["body"]["contents"][1]["text"] for b in line.broadcasts.sent
    ] == [
        NOTICE,
        edited,
    ]
    report, _, _ = upload(indexer, workbook())  # the first text again: already sent
    assert report["notice"]["broadcast"]["status"] == "already_sent"
    assert len(line.broadcasts.sent) == 2


def test_outside_its_period_or_without_the_setting_nothing_is_sent(line, indexer):
    indexer.clock.set(WEEKDAY_MORNING - timedelta(hours=2))  # 8:00, before the start
    report, _, mail = upload(indexer, workbook())
    assert report["notice"]["active"] is False
    assert report["notice"]["broadcast"]["status"] == "scheduled"
    assert "お知らせ: まだ出していません(開始時刻の前です)。" in mail
    assert "開始時刻 12月2日 9:00 になったら自動で配信します" in mail
    assert "LINEのメニューで最初に開くタブ: 「くらし」" in mail  # the notice's tab waits too

    indexer.clock.set(WEEKDAY_MORNING + timedelta(hours=9))  # 19:00, after the end
    report, _, mail = upload(indexer, workbook(NOTICE + "(終了)"))
    assert report["notice"]["broadcast"]["status"] == "not_active"
    assert "配信: していません。お知らせの期間が終わっているためです。" in mail

    indexer.clock.set(WEEKDAY_MORNING)
    report, _, mail = upload(indexer, workbook(broadcast="しない"))
    assert report["notice"]["broadcast"]["status"] == "off"
    assert "配信: しません" in mail
    assert calls(line) == [] and line.broadcasts.sent == []


def test_without_figures_for_the_friends_it_still_sends_and_says_so(line, indexer):
    line.broadcasts.followers_status = "unready"
    report, _, mail = upload(indexer, workbook())
    assert report["notice"]["broadcast"]["status"] == "sent"
    assert report["notice"]["broadcast"]["recipients"] is None
    assert "友だち全員(人数はLINEから取得できませんでした)に送りました" in mail


def test_when_the_quota_cannot_be_read_nothing_is_sent(line, indexer):
    line.broadcasts.fail_next_on("/v2/bot/message/quota")
    report, _, mail = upload(indexer, workbook())
    assert report["status"] == "published"
    assert report["notice"]["broadcast"]["status"] == "unchecked"
    assert "今月送れるメッセージの数をLINEに確かめられなかった" in mail
    assert line.broadcasts.sent == []


class MailDownOnce:
    """SNS refusing the first mail: the handler raises and Lambda retries the same event."""

    def __init__(self, notifier) -> None:
        self.notifier, self.failed = notifier, False

    def notify(self, subject: str, message: str) -> None:
        if not self.failed:
            self.failed = True
            raise ConnectionError("SNS is down")
        self.notifier.notify(subject, message)


def test_a_lambda_retry_after_a_failed_report_does_not_send_again(line, indexer):
    indexer.app.DEPS = replace(indexer.app.DEPS, notifier=MailDownOnce(indexer.app.DEPS.notifier))
    put = indexer.upload("uploads/faq.xlsx", workbook())
    event = indexer.event_for("s3_object_created_japanese_key.json", put, key="uploads/faq.xlsx")
    with pytest.raises(ConnectionError):
        indexer.invoke(event)
    assert len(line.broadcasts.sent) == 1

    result = indexer.invoke(event)  # Lambda's retry of the same event
    report = json.loads(indexer.read(result["processed"][0]["report"]))
    assert report["status"] == "published"
    assert report["notice"]["broadcast"]["status"] == "sent"  # what this upload did
    assert len(line.broadcasts.sent) == 1 and line.requests_to(BROADCAST)[-1].status == 200
    [mail] = indexer.messages()
    assert "友だち 約100人に送りました" in mail["Message"]


def test_an_unconfirmed_send_older_than_a_day_is_not_sent_again(line, indexer):
    line.broadcasts.lose_next_answer()
    report, _, _ = upload(indexer, workbook(end=""))  # active until staff take it out
    assert report["notice"]["broadcast"]["status"] == "failed"
    indexer.clock.advance(25 * 60 * 60)  # LINE no longer remembers the retry key
    line.received.clear()
    report, _, mail = upload(indexer, workbook(end=""))
    assert report["notice"]["broadcast"]["status"] == "stale"
    assert "二重に届かないよう送りません" in mail
    assert calls(line) == [] and len(line.broadcasts.sent) == 1
