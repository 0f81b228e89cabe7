"""The loopback LINE API is as strict as LINE; LineMessenger turns every failure into a value."""

import json
import socket
import urllib.error
import urllib.request

import pytest
from linebot.v3.messaging import TextMessage

from madoguchi.adapters.line_api import CONNECT_TIMEOUT_SECONDS, LineMessenger, request_timeout
from madoguchi_dev.line_api import LineApiServer

TOKEN = "loopback-token"


@pytest.fixture(scope="module")
def server():
    with LineApiServer(access_token=TOKEN) as server:
        yield server


@pytest.fixture
def line(server):
    server.received.clear()
    return server


def messenger(line, **kwargs) -> LineMessenger:
    return LineMessenger(TOKEN, host=line.url, **kwargs)


def raw_post(line, path: str, body, *, token: str | None = TOKEN, headers=None):
    """POST without the SDK, to send what the SDK would refuse to build."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(line.url + path, data=data, method="POST")
    request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def reply_body(line, messages) -> dict:
    return {"replyToken": line.issue_reply_token(), "messages": messages}


def test_reply_through_the_sdk_is_accepted_and_recorded(line):
    token = line.issue_reply_token()
    result = messenger(line).reply(token, [TextMessage(text="こんにちは")])
    assert result.ok and result.status == 200 and result.request_id
    assert line.delivered() == [[{"type": "text", "text": "こんにちは"}]]


def test_a_reply_token_works_once(line):
    token = line.issue_reply_token()
    assert messenger(line).reply(token, [TextMessage(text="1")]).ok
    again = messenger(line).reply(token, [TextMessage(text="2")])
    assert (again.ok, again.status, again.error) == (False, 400, "Invalid reply token")
    assert not again.retryable


def test_an_unknown_reply_token_is_refused(line):
    result = messenger(line).reply("never-issued", [TextMessage(text="x")])
    assert (result.status, result.error) == (400, "Invalid reply token")


def test_a_wrong_access_token_is_refused_with_401(line):
    result = LineMessenger("wrong", host=line.url).reply(
        line.issue_reply_token(), [TextMessage(text="x")]
    )
    assert result.status == 401 and "Authentication failed" in result.error
    status, _ = raw_post(line, "/v2/bot/message/reply", reply_body(line, []), token=None)
    assert status == 401


@pytest.mark.parametrize("status", [500, 429])
def test_injected_failures_come_back_as_retryable_results(line, status):
    line.fail_next(status)
    result = messenger(line).reply(line.issue_reply_token(), [TextMessage(text="x")])
    assert (result.ok, result.status, result.retryable) == (False, status, True)
    assert messenger(line).reply(line.issue_reply_token(), [TextMessage(text="x")]).ok


def test_after_a_reset_nothing_received_is_kept_and_no_fault_is_served(line):
    assert messenger(line).reply(line.issue_reply_token(), [TextMessage(text="x")]).ok
    line.fail_next(500, times=2)
    assert line.received
    line.reset()
    assert line.received == []
    assert messenger(line).reply(line.issue_reply_token(), [TextMessage(text="x")]).ok


def test_a_slow_line_becomes_a_timeout_result(line):
    line.delay_next(1.0)
    result = messenger(line, timeout_seconds=0.2).reply(
        line.issue_reply_token(), [TextMessage(text="x")]
    )
    assert (result.ok, result.status, result.error) == (False, None, "timeout")
    assert result.retryable


def test_an_unreachable_line_becomes_a_connection_result():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = LineMessenger(TOKEN, host=f"http://127.0.0.1:{port}").reply(
        "t", [TextMessage(text="x")]
    )
    assert (result.ok, result.status, result.error) == (False, None, "connection")


def test_push_with_a_malformed_retry_key_is_refused(line):
    status, body = raw_post(
        line,
        "/v2/bot/message/push",
        {"to": "U1", "messages": [{"type": "text", "text": "x"}]},
        headers={"X-Line-Retry-Key": "not-a-uuid"},
    )
    assert status == 400 and "X-Line-Retry-Key" in body["message"]


def text(n: int = 1) -> dict:
    return {"type": "text", "text": "x" * n}


def quick(items: int, label: str = "ラベル", data: str = "a=cats") -> dict:
    action = {"type": "postback", "label": label, "data": data}
    return {"items": [{"type": "action", "action": action} for _ in range(items)]}


def bubble(data: str = "a=faq&id=1") -> dict:
    row = {
        "type": "box",
        "layout": "vertical",
        "contents": [{"type": "text", "text": "q"}],
        "action": {"type": "postback", "label": "q", "data": data},
    }
    return {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [row]}}


@pytest.mark.parametrize(
    ("messages", "prop"),
    [
        ([], "messages"),
        ([text()] * 6, "messages"),
        ([text(5001)], "messages[0].text"),
        ([{"type": "text"}], "messages[0].text"),
        ([{"type": "text", "text": ""}], "messages[0].text"),
        ([{"type": "video"}], "messages[0].type"),
        ([{**text(), "quickReply": quick(14)}], "messages[0].quickReply.items"),
        (
            [{**text(), "quickReply": quick(1, label="あ" * 21)}],
            "messages[0].quickReply.items[0].action.label",
        ),
        (
            [{**text(), "quickReply": quick(1, data="d" * 301)}],
            "messages[0].quickReply.items[0].action.data",
        ),
        ([{"type": "flex", "contents": bubble()}], "messages[0].altText"),
        ([{"type": "flex", "altText": "a" * 401, "contents": bubble()}], "messages[0].altText"),
        (
            [
                {
                    "type": "flex",
                    "altText": "a",
                    "contents": {"type": "carousel", "contents": [bubble()] * 13},
                }
            ],
            "messages[0].contents.contents",
        ),
        (
            [{"type": "flex", "altText": "a", "contents": bubble("d" * 301)}],
            "messages[0].contents.body.contents[0].action.data",
        ),
    ],
)
def test_bodies_breaking_line_limits_get_line_shaped_400s(line, messages, prop):
    status, body = raw_post(line, "/v2/bot/message/reply", reply_body(line, messages))
    assert status == 400
    assert body["message"].startswith("The request body has")
    assert prop in [d["property"] for d in body["details"]]
    assert line.delivered() == []


def test_limits_exactly_at_the_edge_are_accepted(line):
    edge = [
        {**text(5000), "quickReply": quick(13, label="あ" * 20, data="d" * 300)},
        {
            "type": "flex",
            "altText": "a" * 400,
            "contents": {"type": "carousel", "contents": [bubble("d" * 300)] * 12},
        },
        text(),
        text(),
        text(),
    ]
    status, body = raw_post(line, "/v2/bot/message/reply", reply_body(line, edge))
    assert status == 200, body
    assert len(body["sentMessages"]) == 5


def test_non_json_and_unknown_paths_are_refused(line):
    status, body = raw_post(line, "/v2/bot/message/reply", b"{not json")
    assert status == 400 and "JSON" in body["message"]
    status, _ = raw_post(line, "/v2/bot/nothing-here", {})
    assert status == 404


def test_menus_linked_to_one_user_are_checked_like_line(line):
    from madoguchi.adapters.line_richmenu import LineRichMenuApi, RichMenuApiError
    from madoguchi.model import ActionKind, MenuButton, MenuTab
    from madoguchi.richmenu.deploy import prepare

    api = LineRichMenuApi(TOKEN, host=line.url)
    _, (request,), (png,) = prepare(
        (MenuTab("くらし", (MenuButton("相談", ActionKind.STAFF),)),), "h"
    )
    menu = api.create_menu(request)
    user = "U" + "1" * 32
    with pytest.raises(RichMenuApiError) as no_image:
        api.link_user(user, menu)
    assert no_image.value.status == 400
    api.upload_image(menu, png)
    with pytest.raises(RichMenuApiError) as bad_user:
        api.link_user("someone", menu)
    assert bad_user.value.status == 400
    with pytest.raises(RichMenuApiError) as unknown:
        api.link_user(user, "richmenu-" + "0" * 32)
    assert unknown.value.status == 404
    api.link_user(user, menu)
    assert line.rich_menus.linked == {user: menu}
    api.unlink_user(user)
    api.unlink_user(user)  # nothing linked: still fine, as on LINE
    assert line.rich_menus.linked == {}
    api.link_user(user, menu)
    api.delete_menu(menu)  # deleting a menu unlinks it from its users
    assert line.rich_menus.linked == {}
    assert api.alias_target("madoguchi-nothing") is None


@pytest.mark.parametrize(
    "body", [b"<html>Bad Gateway</html>", b'{"sentMessages": "none"}', b"\xff\xfe", b""]
)
def test_a_reply_line_took_is_ok_whatever_its_answer_looks_like(line, body):
    # The SDK would raise a pydantic ValidationError reading these; the answer is not needed.
    line.garble_next(body)
    result = messenger(line).reply(line.issue_reply_token(), [TextMessage(text="x")])
    assert (result.ok, result.status) == (True, 200)
    assert line.delivered() == [[{"type": "text", "text": "x"}]]


def test_an_error_answer_that_is_not_utf8_is_a_failed_result_not_an_exception(line):
    line.garble_next(b"\xff\xfe\x00", status=502)
    result = messenger(line).reply(line.issue_reply_token(), [TextMessage(text="x")])
    assert (result.ok, result.status, result.error) == (False, 502, "unreadable")
    assert result.retryable


def test_a_dropped_connection_is_not_retried(line):
    # A retried reply could be shown twice or too late: one request, one "connection" result.
    line.drop_next()
    result = messenger(line).reply(line.issue_reply_token(), [TextMessage(text="x")])
    assert (result.ok, result.status, result.error) == (False, None, "connection")
    assert [r.status for r in line.requests_to("/v2/bot/message/reply")] == [0]


def test_a_reply_has_explicit_connect_and_read_timeouts():
    assert request_timeout(1.5) == (CONNECT_TIMEOUT_SECONDS, 1.5)
    assert request_timeout(0.2) == (0.1, 0.2)  # little time left: connecting gets half
    assert request_timeout(0.0)[1] > 0  # never "no timeout"


def test_a_reply_never_waits_longer_than_it_is_given(line):
    line.delay_next(1.0)
    result = messenger(line, timeout_seconds=5.0).reply(
        line.issue_reply_token(), [TextMessage(text="x")], timeout=0.2
    )
    assert (result.ok, result.error) == (False, "timeout")


def test_the_loopback_api_takes_a_burst_of_connections_and_keeps_a_bounded_record(monkeypatch):
    import socket

    from madoguchi_dev.line_api import server as line_server

    monkeypatch.setattr(line_server, "MAX_RECORDED", 20)
    line = LineApiServer(access_token=TOKEN).start()
    try:
        host, port = line.url.removeprefix("http://").split(":")
        # 40 connections open at once, each then served.
        sockets = [socket.create_connection((host, int(port)), timeout=10) for _ in range(40)]
        request = b"POST /v2/bot/message/reply HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
        for connection in sockets:
            connection.sendall(request)
        for connection in sockets:
            assert connection.recv(64).startswith(b"HTTP/1.")
            connection.close()
        for _ in range(30):
            LineMessenger(TOKEN, host=line.url).reply("no-such-token", [TextMessage(text="x")])
        assert len(line.received) <= 22
        assert line.received[-1].path == "/v2/bot/message/reply"
    finally:
        line.stop()
