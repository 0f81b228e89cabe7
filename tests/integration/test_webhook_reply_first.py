"""The reply goes to LINE before the search log and the conversation state are written, and
those writes still happen within the same request."""

from __future__ import annotations

import boto3
import pytest

from madoguchi.handover.replies import OFFER_TEXT
from madoguchi.wiring import line_messengers, webhook_deps
from tests.support import line_events as ev
from tests.support.dynamo_tables import create_log_table
from tests.support.webhook_stack import post, webhook_stack

REPLY = "/v2/bot/message/reply"


LOG_TABLE = "madoguchi-test-search-log"
SALT_PARAM = "/madoguchi/log-salt"


@pytest.fixture(scope="module")
def shared_stack():
    """The webhook stack with the search log table and its salt."""
    with pytest.MonkeyPatch.context() as monkeypatch, webhook_stack(monkeypatch) as stack:
        create_log_table(stack.dynamodb, LOG_TABLE)
        boto3.client("ssm").put_parameter(
            Name=SALT_PARAM, Value="salt-for-tests-0123456789abcdef", Type="SecureString"
        )
        monkeypatch.setenv("MADOGUCHI_LOG_TABLE", LOG_TABLE)
        monkeypatch.setenv("MADOGUCHI_LOG_SALT_PARAM", SALT_PARAM)
        stack.app = stack.load_app()
        yield stack


def recorded(stack, monkeypatch) -> list[str]:
    """Fresh dependencies whose reply, log write and state write note when they happen."""
    order: list[str] = []
    messengers = line_messengers(stack.app.CONFIG.line_api_base)

    class Noting:
        def __init__(self, messenger):
            self.messenger = messenger

        def reply(self, *args, **kwargs):
            result = self.messenger.reply(*args, **kwargs)
            order.append("reply")
            return result

    deps = webhook_deps(
        stack.app.CONFIG, clock=stack.clock, messenger_for=lambda t: Noting(messengers(t))
    )
    log, state = deps.responder.log.store, getattr(deps.responder.state, "store", None)
    for target, name, label in ((log, "put", "log"), (state, "note_search", "state")):
        original = getattr(target, name)

        def noting(*args, _original=original, _label=label, **kwargs):
            order.append(_label)
            return _original(*args, **kwargs)

        monkeypatch.setattr(target, name, noting)
    stack.app.DEPS = deps
    return order


@pytest.mark.parametrize("question", ["粗大ごみの出し方を教えて", "宇宙旅行の補助金はありますか"])
def test_the_reply_is_sent_before_the_writes(shared_stack, monkeypatch, question):
    order = recorded(shared_stack, monkeypatch)
    token = shared_stack.line.issue_reply_token()
    assert post(shared_stack.app, ev.text_event(question, reply_token=token))["statusCode"] == 200
    assert order == ["reply", "log", "state"]
    assert shared_stack.line.requests_to(REPLY)[-1].status == 200


def test_the_staff_offer_still_follows_the_no_answer_streak(shared_stack, monkeypatch):
    recorded(shared_stack, monkeypatch)
    user = "U" + "5" * 32
    texts = []
    for _ in range(3):
        token = shared_stack.line.issue_reply_token()
        event = ev.text_event("宇宙旅行の補助金はありますか", reply_token=token, user_id=user)
        assert post(shared_stack.app, event)["statusCode"] == 200
        texts.append(shared_stack.line.requests_to(REPLY)[-1].body["messages"][-1]["text"])
    # The second no-answer in a row offers staff (once), as when the state was written first.
    assert [OFFER_TEXT in text for text in texts] == [False, True, False]
