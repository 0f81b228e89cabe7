"""The webhook's reliability scenarios, shared by the tests (which check the counts) and
`scripts/reliability.py` (which also times them): hostile requests, redeliveries, LINE in
trouble, the conversation-state table down. All run through the Lambda handler in a
`webhook_stack` (moto, the loopback LINE API)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from madoguchi.wiring import webhook_deps
from madoguchi_dev.line_api import LineApiServer
from tests.support import line_events as ev
from tests.support.dynamo_faults import DynamoFailure
from tests.support.webhook_stack import TABLE, Stack, invoke, post

REPLY = "/v2/bot/message/reply"


# --- forged and malformed requests ------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """One request that must be refused with `status` before anything is processed."""

    name: str
    status: int
    make: Callable[[], dict[str, Any]]  # the API Gateway event


def _signed(body: str) -> dict[str, Any]:
    return ev.api_gateway_event(body, ev.sign(body))


def _with(event: dict[str, Any], **changes: Any) -> dict[str, Any]:
    event.update(changes)
    return event


def _nested(opening: str, closing: str, depth: int = 100_000) -> str:
    return '{"destination":"U1","events":[' + opening * depth + "1" + closing * depth + "]}"


def hostile_requests() -> list[Hostile]:
    """Forged and malformed requests: 401 for anything not signed with the channel secret,
    400 for a signed body that is not a webhook payload."""
    body, signature = ev.signed_body(ev.text_event("粗大ごみ"))
    valid = ev.api_gateway_event
    forged = [
        Hostile("no signature", 401, lambda: valid(body, None)),
        Hostile("empty signature", 401, lambda: valid(body, "")),
        Hostile("signature not base64", 401, lambda: valid(body, "not base64 at all")),
        Hostile("full-width signature", 401, lambda: valid(body, "ａｂｃ")),
        Hostile("signature of padding", 401, lambda: valid(body, "=" * 44)),
        Hostile("signed with another secret", 401, lambda: valid(body, ev.sign(body, "x" * 32))),
        Hostile("body changed after signing", 401, lambda: valid(body + " ", signature)),
        Hostile(
            "another request's signature",
            401,
            lambda: valid(ev.body_of(ev.follow_event()), signature),
        ),
        Hostile(
            "lone surrogate in the body",
            401,
            lambda: _with(valid(body, signature), body=body.replace("粗大", "粗\ud800")),
        ),
        Hostile(
            "lone surrogate in the signature",
            401,
            lambda: _with(valid(body, signature), headers={"x-line-signature": "\ud800" * 4}),
        ),
    ]
    malformed = [
        Hostile(f"signed {name}", 400, partial(_signed, text))
        for name, text in [
            ("text that is not JSON", "not json"),
            ("empty body", ""),
            ("empty object", "{}"),
            ("array", "[]"),
            ("events that are not a list", '{"events": "x"}'),
            ("events that are not objects", '{"events": [1, null]}'),
            ("event without a type", '{"events": [{"timestamp": 1}]}'),
            ("NaN", '{"events": NaN}'),
            ("body nested 100,000 arrays deep", _nested("[", "]")),
            ("body nested 100,000 objects deep", _nested('{"a":', "}")),
        ]
    ]
    encoded = [
        Hostile(
            "base64 flag on text that is not base64",
            400,
            lambda: _with(valid("{}", ev.sign("{}")), body="%%%", isBase64Encoded=True),
        ),
        Hostile(
            "base64 of bytes that are not UTF-8",
            400,
            lambda: _with(
                valid("{}", ev.sign("{}")),
                body=base64.b64encode(b"\xff\xfe{}").decode(),
                isBase64Encoded=True,
            ),
        ),
    ]
    return forged + malformed + encoded


@dataclass(frozen=True)
class Refusals:
    """What the hostile requests got."""

    tried: int
    refused: int  # with the status expected
    crashes: list[str]  # exceptions out of the handler, or 5xx
    processed: int  # claims written or LINE calls made (must be 0)
    slowest_seconds: float


def send_hostile(stack: Stack) -> Refusals:
    """Every hostile request through the handler."""
    refused, crashes, slowest = 0, [], 0.0
    claims_before, calls_before = stack.claims(), len(stack.line.received)
    requests = hostile_requests()
    for hostile in requests:
        started = time.perf_counter()
        try:
            status = invoke(stack.app, hostile.make())["statusCode"]
        except Exception as error:
            crashes.append(f"{hostile.name}: {type(error).__name__}")
            continue
        finally:
            slowest = max(slowest, time.perf_counter() - started)
        refused += status == hostile.status
        if status >= 500:
            crashes.append(f"{hostile.name}: HTTP {status}")
    processed = stack.claims() - claims_before + len(stack.line.received) - calls_before
    return Refusals(len(requests), refused, crashes, processed, slowest)


# --- redelivered events -------------------------------------------------------------------------


@dataclass(frozen=True)
class Redeliveries:
    """Events, how often LINE delivered them, and how many replies went out."""

    events: int
    deliveries: int
    replies: int  # reply calls made to LINE, accepted or not


def redeliver(stack: Stack, residents: int = 5) -> Redeliveries:
    """Each event delivered, then redelivered alone (as LINE marks it), with the whole batch
    again, and twice within one request."""
    events = [
        ev.text_event("粗大ごみの出し方", reply_token=stack.line.issue_reply_token(), user_id=user)
        for user in (f"U{n:032x}" for n in range(residents))
    ]
    before = len(stack.line.requests_to(REPLY))
    deliveries = 0
    for batch in (
        events,
        *[[{**e, "deliveryContext": {"isRedelivery": True}}] for e in events],
        events,
        [events[0], events[0]],
    ):
        post(stack.app, *batch)
        deliveries += len(batch)
    replies = len(stack.line.requests_to(REPLY)) - before
    return Redeliveries(len(events), deliveries, replies)


# --- LINE in trouble ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LineTrouble:
    """One batch sent while LINE misbehaves in one way."""

    name: str
    inject: Callable[[LineApiServer, int], None]  # (server, events in the batch)


def line_troubles(slow_seconds: float = 1.0, hung_seconds: float = 3.0) -> list[LineTrouble]:
    """Ways LINE can fail a batch of replies."""
    return [
        LineTrouble("LINE well", lambda line, n: None),
        LineTrouble(
            "LINE 429 (rate limit) for every reply", lambda line, n: line.fail_next(429, n)
        ),
        LineTrouble("LINE 500 for every reply", lambda line, n: line.fail_next(500, n)),
        LineTrouble("LINE 503 for every reply", lambda line, n: line.fail_next(503, n)),
        LineTrouble(
            f"LINE slow ({slow_seconds:g} s per reply)",
            lambda line, n: line.delay_next(slow_seconds, n),
        ),
        LineTrouble(
            f"LINE hung ({hung_seconds:g} s per reply)",
            lambda line, n: line.delay_next(hung_seconds, n),
        ),
        LineTrouble(
            "LINE answers what the SDK cannot parse", lambda line, n: line.garble_next(times=n)
        ),
        LineTrouble("LINE drops the connection", lambda line, n: line.drop_next(n)),
    ]


@dataclass(frozen=True)
class BatchOutcome:
    """How a batch of events fared."""

    events: int
    answered: int  # replies LINE accepted
    failures: int  # events the webhook counted as not answered
    crashed: bool
    seconds: float  # the handler's time, start to finish


def batch_with_trouble(stack: Stack, trouble: LineTrouble, events: int) -> BatchOutcome:
    """One request of `events` residents' questions while LINE has `trouble`, on the real
    stopwatch (the deadline runs as in Lambda)."""
    _on_the_real_stopwatch(stack)
    batch = [
        ev.text_event("粗大ごみの出し方", reply_token=stack.line.issue_reply_token(), user_id=user)
        for user in (f"U{n:032x}" for n in range(events))
    ]
    tokens = {e["replyToken"] for e in batch}
    trouble.inject(stack.line, events)
    before = len(stack.log.getvalue())
    started = time.perf_counter()
    try:
        status = post(stack.app, *batch)["statusCode"]
    except Exception:
        status = 0
    seconds = time.perf_counter() - started
    _settle(stack.line, tokens)
    answered = sum(
        r.status == 200 and r.body["replyToken"] in tokens for r in stack.line.requests_to(REPLY)
    )
    summary = [
        line for line in _lines_since(stack, before) if line.get("message") == "webhook handled"
    ]
    failures = summary[-1]["failures"] if summary else events
    return BatchOutcome(events, answered, failures, status != 200, seconds)


def _on_the_real_stopwatch(stack: Stack) -> None:
    """Fresh dependencies with the deadline running, warmed up as the handler's init does."""
    stack.app.DEPS = webhook_deps(stack.app.CONFIG, clock=stack.clock)
    stack.app.DEPS.index.current()
    stack.app.DEPS.credentials()


def _settle(line: LineApiServer, tokens: set[str], seconds: float = 5.0) -> None:
    """Wait until LINE has recorded every reply still on its way (a slow one arrives late)."""
    for _ in range(int(seconds / 0.02)):
        got = {
            r.body.get("replyToken") for r in line.requests_to(REPLY) if isinstance(r.body, dict)
        }
        if tokens <= got:
            return
        time.sleep(0.02)


def _lines_since(stack: Stack, offset: int) -> list[dict]:
    text = stack.log.getvalue()[offset:]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# --- the conversation-state table down ----------------------------------------------------------


@dataclass(frozen=True)
class Outage:
    """Residents writing while the state table is down."""

    residents: int
    answered: int
    state_failures: int  # failures the webhook counted (and logged)
    dynamodb_requests: int | None  # requests that reached DynamoDB (throttling only)
    slowest_seconds: float


def state_outage(stack: Stack, kind: str, residents: int = 10) -> Outage:
    """`kind` "missing" (the table deleted) or "throttled" (every call refused, with botocore's
    retry and back-off): one request per resident, on the real stopwatch."""
    _on_the_real_stopwatch(stack)
    throttled = None
    if kind == "missing":
        stack.dynamodb.delete_table(TableName=TABLE)
    else:
        deps = stack.app.DEPS
        throttled = DynamoFailure(table=TABLE).attach(
            deps.claims.client, deps.responder.state.store.client
        )
    answered = failures = 0
    slowest = 0.0
    for n in range(residents):
        token = stack.line.issue_reply_token()
        event = ev.text_event("粗大ごみの出し方", reply_token=token, user_id=f"U{n:032x}")
        before = len(stack.log.getvalue())
        started = time.perf_counter()
        post(stack.app, event)
        slowest = max(slowest, time.perf_counter() - started)
        answered += any(
            r.status == 200 and r.body["replyToken"] == token for r in stack.line.requests_to(REPLY)
        )
        for line in _lines_since(stack, before):
            if line.get("message") == "webhook handled":
                failures += line["state_failures"]
    requests = throttled.requests if throttled is not None else None
    return Outage(residents, answered, failures, requests, slowest)


# --- a large batch while LINE and the state table are both slow ----------------------------------


@dataclass(frozen=True)
class SlowBatch:
    """One request of many events while every reply and every table call is slow."""

    events: int
    answered: int  # replies LINE accepted
    calls_made: int  # requests that reached the table
    calls_skipped: int  # table and menu calls the webhook did not make for lack of time (counted)
    seconds: float  # the handler's time, start to finish


def slow_batch(
    stack: Stack, events: int = 50, line_seconds: float = 0.3, table_seconds: float = 0.05
) -> SlowBatch:
    """`events` residents' questions in one request, each reply taking `line_seconds` at LINE and
    each call to the state table `table_seconds`, on the real stopwatch."""
    _on_the_real_stopwatch(stack)
    made: list[float] = []

    def slow_table(**_: Any) -> None:
        made.append(time.perf_counter())
        time.sleep(table_seconds)

    client = stack.app.DEPS.claims.client
    client.meta.events.register("before-send.dynamodb", slow_table)
    batch = [
        ev.text_event("粗大ごみの出し方", reply_token=stack.line.issue_reply_token(), user_id=user)
        for user in (f"U{n:032x}" for n in range(events))
    ]
    tokens = {e["replyToken"] for e in batch}
    stack.line.delay_next(line_seconds, events)
    before = len(stack.log.getvalue())
    started = time.perf_counter()
    try:
        post(stack.app, *batch)
    finally:
        seconds = time.perf_counter() - started
        client.meta.events.unregister("before-send.dynamodb", slow_table)
    _settle(stack.line, tokens)
    answered = sum(
        r.status == 200 and r.body["replyToken"] in tokens for r in stack.line.requests_to(REPLY)
    )
    summary = [
        line for line in _lines_since(stack, before) if line.get("message") == "webhook handled"
    ]
    skipped = summary[-1].get("calls_skipped", 0) if summary else 0
    return SlowBatch(events, answered, len(made), skipped, seconds)
