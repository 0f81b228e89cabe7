"""Event claims: the first claim wins, repeats lose, expired claims can be made again."""

import threading

import boto3
import pytest
from moto import mock_aws

from madoguchi.adapters.event_claims import DynamoEventClaims, SqliteEventClaims, event_key
from tests.support.dynamo_tables import create_state_table


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def dynamo(monkeypatch, clock):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-northeast-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("dynamodb")
        create_state_table(client, "state")
        yield DynamoEventClaims("state", client=client, clock=clock)


@pytest.fixture
def sqlite(tmp_path, clock):
    state = SqliteEventClaims(tmp_path / "state" / "madoguchi.sqlite3", clock=clock)
    yield state
    state.close()


@pytest.fixture(params=["dynamo", "sqlite"])
def state(request):
    return request.getfixturevalue(request.param)


def test_first_claim_wins_and_repeats_lose(state):
    assert state.claim_event("01JEVENTA", 60) is True
    assert state.claim_event("01JEVENTA", 60) is False
    assert state.claim_event("01JEVENTB", 60) is True


def test_an_expired_claim_can_be_made_again(state, clock):
    assert state.claim_event("01JEVENTA", 60) is True
    clock.now += 59
    assert state.claim_event("01JEVENTA", 60) is False
    clock.now += 2
    assert state.claim_event("01JEVENTA", 60) is True
    assert state.claim_event("01JEVENTA", 60) is False


def test_dynamo_items_use_the_shared_pk_sk_and_ttl_layout(dynamo, clock):
    dynamo.claim_event("01JEVENTA", 3600)
    pk, sk = event_key("01JEVENTA")
    item = dynamo.client.get_item(TableName="state", Key={"pk": {"S": pk}, "sk": {"S": sk}})
    assert item["Item"]["expires_at"] == {"N": str(int(clock.now) + 3600)}
    assert pk == "event#01JEVENTA"


def test_sqlite_claims_survive_reopening_and_race_safely(tmp_path, clock):
    path = tmp_path / "s.sqlite3"
    first = SqliteEventClaims(path, clock=clock)
    assert first.claim_event("01JEVENTA", 60)
    first.close()
    again = SqliteEventClaims(path, clock=clock)
    winners = []
    threads = [
        threading.Thread(target=lambda: winners.append(again.claim_event("01JEVENTB", 60)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert winners.count(True) == 1
    assert again.claim_event("01JEVENTA", 60) is False
    again.close()
