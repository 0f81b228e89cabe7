"""Config.from_env: the environment a function starts with, checked once, every problem named."""

import os
from pathlib import Path

import pytest

from madoguchi.config import Config, ConfigError

S3_ENV = {
    "MADOGUCHI_BUCKET": "city-faq-bucket",
    "MADOGUCHI_TOPIC_ARN": "arn:aws:sns:ap-northeast-1:123456789012:madoguchi-staff",
    "MADOGUCHI_STATE_TABLE": "madoguchi-state",
    "MADOGUCHI_LOG_TABLE": "madoguchi-search-log",
    "MADOGUCHI_CHANNEL_SECRET_PARAM": "/madoguchi/line/channel-secret",
    "MADOGUCHI_CHANNEL_TOKEN_PARAM": "/madoguchi/line/access-token",
    "MADOGUCHI_LOG_SALT_PARAM": "/madoguchi/log-salt",
}


def problems_of(env: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as raised:
        Config.from_env(env)
    return str(raised.value)


def test_s3_deployment_reads_every_name_and_keeps_the_defaults():
    config = Config.from_env(S3_ENV)
    assert config.bucket_name == "city-faq-bucket"
    assert config.local_dir is None
    assert config.topic_arn == S3_ENV["MADOGUCHI_TOPIC_ARN"]
    assert config.state_table == "madoguchi-state"
    assert config.log_table == "madoguchi-search-log"
    assert config.channel_secret_param == "/madoguchi/line/channel-secret"
    assert config.channel_token_param == "/madoguchi/line/access-token"
    assert config.log_salt_param == "/madoguchi/log-salt"
    assert (config.upload_prefix, config.index_prefix, config.report_prefix) == (
        "uploads/",
        "indexes/",
        "reports/",
    )
    assert config.index_refresh_seconds == 30.0
    assert config.log_retention_days == 90
    assert config.line_api_base is None
    assert config.local_channel_secret is None and config.local_access_token is None


def test_prefixes_get_a_trailing_slash_and_numbers_are_parsed():
    config = Config.from_env(
        {
            **S3_ENV,
            "MADOGUCHI_UPLOAD_PREFIX": "staff/upload",
            "MADOGUCHI_INDEX_PREFIX": "published/",
            "MADOGUCHI_REPORT_PREFIX": "staff/reports",
            "MADOGUCHI_INDEX_REFRESH_SECONDS": "2.5",
            "MADOGUCHI_LOG_RETENTION_DAYS": "30",
        }
    )
    assert config.upload_prefix == "staff/upload/"
    assert config.index_prefix == "published/"
    assert config.report_prefix == "staff/reports/"
    assert config.index_refresh_seconds == 2.5
    assert config.log_retention_days == 30
    assert isinstance(config.log_retention_days, int)


def test_local_preview_config_with_sqlite_loopback_line_and_throwaway_credentials(tmp_path):
    config = Config.from_env(
        {
            "MADOGUCHI_LOCAL_DIR": str(tmp_path / "storage"),
            "MADOGUCHI_STATE_PATH": str(tmp_path / "state.sqlite3"),
            "MADOGUCHI_LINE_API_BASE": "http://127.0.0.1:8123",
            "MADOGUCHI_LOCAL_CHANNEL_SECRET": "local-secret-0123",
            "MADOGUCHI_LOCAL_ACCESS_TOKEN": "local-token-4567",
        }
    )
    assert config.bucket_name is None
    assert config.local_dir == tmp_path / "storage"
    assert config.state_path == tmp_path / "state.sqlite3"
    assert isinstance(config.state_path, Path)
    assert config.line_api_base == "http://127.0.0.1:8123"
    assert config.local_channel_secret == "local-secret-0123"
    assert config.local_access_token == "local-token-4567"


def test_empty_values_count_as_unset():
    config = Config.from_env(
        {**S3_ENV, "MADOGUCHI_LOCAL_DIR": "", "MADOGUCHI_INDEX_REFRESH_SECONDS": ""}
    )
    assert config.local_dir is None
    assert config.index_refresh_seconds == 30.0


def test_without_an_argument_the_process_environment_is_read(monkeypatch):
    for name in list(os.environ):
        if name.startswith("MADOGUCHI_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("MADOGUCHI_BUCKET", "from-the-process")
    assert Config.from_env().bucket_name == "from-the-process"


def test_both_storages_are_refused():
    message = problems_of({**S3_ENV, "MADOGUCHI_LOCAL_DIR": "/tmp/madoguchi"})
    assert "set only one of MADOGUCHI_BUCKET and MADOGUCHI_LOCAL_DIR" in message


def test_no_storage_is_refused():
    message = problems_of({"MADOGUCHI_STATE_TABLE": "madoguchi-state"})
    assert "set MADOGUCHI_BUCKET (S3) or MADOGUCHI_LOCAL_DIR (local directory)" in message


@pytest.mark.parametrize(
    ("upload", "index", "report"),
    [
        ("uploads/", "uploads/", "reports/"),  # the same prefix twice
        ("data/", "data/indexes/", "reports/"),  # one inside the other
        ("uploads/", "indexes/", "indexes/reports/"),
    ],
)
def test_overlapping_prefixes_are_refused(upload, index, report):
    message = problems_of(
        {
            **S3_ENV,
            "MADOGUCHI_UPLOAD_PREFIX": upload,
            "MADOGUCHI_INDEX_PREFIX": index,
            "MADOGUCHI_REPORT_PREFIX": report,
        }
    )
    assert "overlap; keep them apart" in message


def test_similar_but_separate_prefixes_are_fine():
    config = Config.from_env(
        {**S3_ENV, "MADOGUCHI_UPLOAD_PREFIX": "faq", "MADOGUCHI_INDEX_PREFIX": "faq-index"}
    )
    # "faq/" and "faq-index/" share letters but no folder, so neither triggers the other.
    assert (config.upload_prefix, config.index_prefix) == ("faq/", "faq-index/")


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("MADOGUCHI_INDEX_REFRESH_SECONDS", "thirty", "must be a number, got 'thirty'"),
        ("MADOGUCHI_INDEX_REFRESH_SECONDS", "-1", "must be a positive number, got '-1'"),
        ("MADOGUCHI_INDEX_REFRESH_SECONDS", "0", "must be a positive number, got '0'"),
        ("MADOGUCHI_INDEX_REFRESH_SECONDS", "nan", "must be a positive number, got 'nan'"),
        ("MADOGUCHI_INDEX_REFRESH_SECONDS", "inf", "must be a positive number, got 'inf'"),
        ("MADOGUCHI_LOG_RETENTION_DAYS", "90日", "must be a number, got '90日'"),
        ("MADOGUCHI_LOG_RETENTION_DAYS", "1.5", "must be a number, got '1.5'"),
        ("MADOGUCHI_LOG_RETENTION_DAYS", "-7", "must be a positive number, got '-7'"),
    ],
)
def test_bad_numbers_are_refused_with_the_value(name, raw, expected):
    assert f"{name} {expected}" in problems_of({**S3_ENV, name: raw})


def test_every_problem_is_reported_at_once():
    message = problems_of(
        {
            **S3_ENV,
            "MADOGUCHI_LOCAL_DIR": "/tmp/madoguchi",
            "MADOGUCHI_UPLOAD_PREFIX": "data",
            "MADOGUCHI_INDEX_PREFIX": "data/index",
            "MADOGUCHI_INDEX_REFRESH_SECONDS": "soon",
            "MADOGUCHI_LOG_RETENTION_DAYS": "-3",
        }
    )
    assert message == (
        "invalid Madoguchi configuration: "
        "MADOGUCHI_INDEX_REFRESH_SECONDS must be a number, got 'soon'; "
        "MADOGUCHI_LOG_RETENTION_DAYS must be a positive number, got '-3'; "
        "set only one of MADOGUCHI_BUCKET and MADOGUCHI_LOCAL_DIR; "
        "prefixes 'data/' and 'data/index/' overlap; keep them apart"
    )


@pytest.mark.parametrize(
    "local_credentials",
    [
        {"MADOGUCHI_LOCAL_CHANNEL_SECRET": "a-local-secret"},
        {"MADOGUCHI_LOCAL_ACCESS_TOKEN": "a-local-token"},
        {
            "MADOGUCHI_LOCAL_CHANNEL_SECRET": "secret-4f2a",
            "MADOGUCHI_LOCAL_ACCESS_TOKEN": "tok-9c1b",
        },
    ],
)
def test_local_channel_credentials_are_refused_with_a_bucket(local_credentials):
    message = problems_of({**S3_ENV, **local_credentials})
    assert "for the local preview only; in AWS use the SSM parameter names" in message
    # The refusal names the variables, never the values.
    for value in local_credentials.values():
        assert value not in message


def test_secrets_do_not_appear_in_repr(tmp_path):
    secret, token = "5f1d0c-secret-value-9a7e", "AbCdEf-token-value-123456"
    config = Config.from_env(
        {
            "MADOGUCHI_LOCAL_DIR": str(tmp_path),
            "MADOGUCHI_LOCAL_CHANNEL_SECRET": secret,
            "MADOGUCHI_LOCAL_ACCESS_TOKEN": token,
        }
    )
    shown = repr(config)
    assert config.local_channel_secret == secret  # held, as the preview needs them
    assert secret not in shown
    assert token not in shown
    assert str(tmp_path) in shown  # the rest of the settings still show, for debugging
