"""One wiring module: the configuration picks each adapter, and every wiring problem is a
ConfigError that says which setting is missing."""

from pathlib import Path

import pytest

from madoguchi.adapters.conversation_state import SqliteConversationState
from madoguchi.adapters.event_claims import DynamoEventClaims, SqliteEventClaims
from madoguchi.adapters.notifier import OutboxNotifier, SnsNotifier
from madoguchi.adapters.search_log import SqliteSearchLog
from madoguchi.adapters.secrets import SsmLineCredentials, StaticLineCredentials
from madoguchi.adapters.storage import LocalStorage, S3Storage
from madoguchi.config import Config, ConfigError
from madoguchi.publish import IndexHolder
from madoguchi.wiring import (
    credentials_for,
    event_claims_for,
    indexer_deps,
    notifier_for,
    rich_menu_hook,
    salt_for,
    storage_for,
    webhook_deps,
)
from tests.support.clock import FixedClock

TOPIC = "arn:aws:sns:ap-northeast-1:123456789012:staff"


def local(tmp_path: Path, **more) -> Config:
    return Config(local_dir=tmp_path, state_path=tmp_path / "state.sqlite3", **more)


def test_configuration_chooses_sns_then_the_outbox_then_nobody(tmp_path):
    sns = notifier_for(Config(bucket_name="b", topic_arn=TOPIC))
    assert isinstance(sns, SnsNotifier) and sns.topic_arn.endswith(":staff")
    outbox = notifier_for(Config(local_dir=tmp_path))
    assert isinstance(outbox, OutboxNotifier) and outbox.directory == Path(tmp_path) / "outbox"
    assert notifier_for(Config(bucket_name="b")) is None


def test_storage_and_event_claims_follow_the_configuration(tmp_path):
    assert isinstance(storage_for(Config(bucket_name="b")), S3Storage)
    assert isinstance(storage_for(Config(local_dir=tmp_path)), LocalStorage)
    table = Config(bucket_name="b", state_table="t")
    assert isinstance(event_claims_for(table, client=object()), DynamoEventClaims)
    claims = event_claims_for(local(tmp_path))
    assert isinstance(claims, SqliteEventClaims)
    claims.close()


@pytest.mark.parametrize(
    ("build", "names"),
    [
        (lambda: storage_for(Config()), "bucket"),
        (lambda: event_claims_for(Config(bucket_name="b")), "MADOGUCHI_STATE_TABLE"),
        (lambda: credentials_for(Config(bucket_name="b")), "MADOGUCHI_CHANNEL_SECRET_PARAM"),
        (lambda: salt_for(Config(bucket_name="b"), None), "MADOGUCHI_LOG_SALT_PARAM"),
        (lambda: webhook_deps(Config(bucket_name="b")), "MADOGUCHI_CHANNEL"),
        (
            lambda: webhook_deps(
                Config(
                    bucket_name="b",
                    channel_secret_param="/s",
                    channel_token_param="/t",
                )
            ),
            "MADOGUCHI_STATE_TABLE",
        ),
    ],
)
def test_every_wiring_problem_is_a_config_error_naming_the_setting(build, names):
    with pytest.raises(ConfigError, match=names):
        build()


def test_credentials_come_from_ssm_in_aws_and_from_the_preview_locally(tmp_path):
    aws = credentials_for(
        Config(bucket_name="b", channel_secret_param="/s", channel_token_param="/t")
    )
    assert isinstance(aws, SsmLineCredentials) and aws.token_parameter == "/t"
    preview = credentials_for(
        local(tmp_path, local_channel_secret="secret", local_access_token="token")
    )
    assert isinstance(preview, StaticLineCredentials) and preview().access_token == "token"


def test_the_webhook_is_wired_with_one_clock_throughout(tmp_path):
    clock = FixedClock()
    deps = webhook_deps(
        local(tmp_path, local_channel_secret="secret", local_access_token="token"), clock=clock
    )
    assert isinstance(deps.index, IndexHolder)
    assert deps.claims._clock is clock
    responder = deps.responder
    assert responder.clock is clock
    store = responder.state.store
    assert isinstance(store, SqliteConversationState) and store._clock is clock
    assert responder.state_guard is deps.state_guard and deps.state_guard._clock is clock
    assert isinstance(responder.search_log, SqliteSearchLog)
    assert isinstance(responder.notifier, OutboxNotifier)
    with pytest.raises(TypeError, match="no such webhook dependency: conversation"):
        webhook_deps(local(tmp_path), conversation=object())


def test_the_indexer_gets_a_rich_menu_sync_only_with_a_token_setting(tmp_path):
    clock = FixedClock()
    plain = indexer_deps(Config(local_dir=tmp_path), clock=clock)
    assert plain.after_publish is None and plain.clock is clock
    assert isinstance(plain.notifier, OutboxNotifier)
    with_token = Config(bucket_name="b", channel_token_param="/madoguchi/line/access-token")
    assert indexer_deps(with_token).after_publish is not None
    assert rich_menu_hook(storage_for(with_token), with_token) is not None
