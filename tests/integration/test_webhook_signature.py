"""The webhook checks LINE's signature on the raw body before doing any work."""

import base64

import pytest

from tests.support import line_events as ev
from tests.support.webhook_stack import invoke, post, webhook_stack


@pytest.fixture(scope="module")
def shared_stack():
    with pytest.MonkeyPatch.context() as monkeypatch, webhook_stack(monkeypatch) as stack:
        yield stack


@pytest.fixture
def stack(shared_stack):
    shared_stack.line.reset()
    shared_stack.claims_before = shared_stack.claims()
    return shared_stack


def assert_nothing_processed(stack):
    assert stack.line.received == []
    assert stack.claims() == stack.claims_before


def test_forged_signature_is_refused_with_401_and_nothing_is_processed(stack):
    app = stack.load_app()
    token = stack.line.issue_reply_token()
    response = post(app, ev.text_event("粗大ごみ", reply_token=token), secret="not-the-secret")
    assert response["statusCode"] == 401
    assert_nothing_processed(stack)


def test_body_changed_after_signing_is_refused(stack):
    app = stack.load_app()
    body, signature = ev.signed_body(ev.text_event("粗大ごみ"))
    tampered = body.replace("粗大ごみ", "住民票")
    response = invoke(app, ev.api_gateway_event(tampered, signature))
    assert response["statusCode"] == 401
    assert_nothing_processed(stack)


@pytest.mark.parametrize("signature", [None, ""])
def test_missing_signature_is_refused_with_401(stack, signature):
    app = stack.load_app()
    body, _ = ev.signed_body(ev.text_event("粗大ごみ"))
    response = invoke(app, ev.api_gateway_event(body, signature))
    assert response["statusCode"] == 401
    assert_nothing_processed(stack)


@pytest.mark.parametrize("signature", ["not base64 at all", "ａｂｃ", "=" * 44])
def test_garbage_signature_is_refused_with_401(stack, signature):
    app = stack.load_app()
    body, _ = ev.signed_body(ev.text_event("粗大ごみ"))
    assert invoke(app, ev.api_gateway_event(body, signature))["statusCode"] == 401
    assert_nothing_processed(stack)


@pytest.mark.parametrize("body", ["not json", "{}", '{"events": "x"}', "[]", ""])
def test_signed_but_malformed_body_is_refused_with_400(stack, body):
    app = stack.load_app()
    response = invoke(app, ev.api_gateway_event(body, ev.sign(body)))
    assert response["statusCode"] == 400
    assert_nothing_processed(stack)


def test_base64_body_that_is_not_base64_is_refused_with_400(stack):
    app = stack.load_app()
    event = ev.api_gateway_event("{}", ev.sign("{}"))
    event.update(body="%%% not base64 %%%", isBase64Encoded=True)
    assert invoke(app, event)["statusCode"] == 400


def test_verify_request_with_no_events_gets_200(stack):
    app = stack.load_app()
    response = invoke(app, ev.load_fixture("line_verify"))
    assert response["statusCode"] == 200
    assert_nothing_processed(stack)


def test_base64_body_and_capitalised_header_are_verified_on_the_raw_bytes(stack):
    app = stack.load_app()
    event = ev.load_fixture("line_text_base64")
    assert event["isBase64Encoded"] and "X-Line-Signature" in event["headers"]
    body = base64.b64decode(event["body"]).decode()
    stack.line.issue_reply_token(ev.json.loads(body)["events"][0]["replyToken"])
    assert invoke(app, event)["statusCode"] == 200
    (messages,) = stack.line.delivered()
    assert messages[0]["text"].startswith("■ 粗大ごみの出し方")


@pytest.mark.parametrize("opening,closing", [("[", "]"), ('{"a":', "}")])
def test_signed_body_nested_a_hundred_thousand_levels_is_refused_with_400(stack, opening, closing):
    app = stack.load_app()
    depth = 100_000
    body = '{"destination":"U1","events":[' + opening * depth + "1" + closing * depth + "]}"
    response = invoke(app, ev.api_gateway_event(body, ev.sign(body)))
    assert response["statusCode"] == 400
    assert_nothing_processed(stack)


@pytest.mark.parametrize("where", ["body", "signature"])
def test_a_lone_surrogate_with_a_forged_signature_is_refused_with_401(stack, where):
    # A lone surrogate cannot be UTF-8, so LINE cannot have signed it; API Gateway hands it
    # over when the JSON of its event escapes one ("\ud800").
    app = stack.load_app()
    body, signature = ev.signed_body(ev.text_event("粗大ごみ"))
    event = ev.api_gateway_event(body, signature)
    if where == "body":
        event["body"] = body.replace("粗大ごみ", "粗大\ud800ごみ")
    else:
        event["headers"]["x-line-signature"] = signature[:-2] + "\ud800="
    response = invoke(app, event)
    assert response["statusCode"] == 401
    assert_nothing_processed(stack)
