"""scripts/bootstrap.py against SSM (moto): missing parameters are created as SecureStrings from
hidden prompts (the salt generated), existing ones left alone, and nothing is printed."""

from __future__ import annotations

import runpy
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

ROOT = Path(__file__).resolve().parents[2]
bootstrap = runpy.run_path(str(ROOT / "scripts" / "bootstrap.py"), run_name="bootstrap")
SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "T" * 120 + "/+="


@pytest.fixture
def ssm(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-northeast-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("ssm", region_name="ap-northeast-1")


def answers(*values: str):
    typed = list(values)
    return lambda prompt: typed.pop(0)


def value(ssm, name: str) -> str:
    found = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
    assert found["Type"] == "SecureString"
    return found["Value"]


def test_a_new_stage_gets_all_three_without_echoing_them(ssm, capsys):
    code = bootstrap["bootstrap"]("staging", ssm, prompt=answers(SECRET, TOKEN))
    assert code == 0
    assert value(ssm, "/madoguchi/staging/line/channel-secret") == SECRET
    assert value(ssm, "/madoguchi/staging/line/access-token") == TOKEN
    salt = value(ssm, "/madoguchi/staging/log-salt")
    assert len(salt) == 64 and int(salt, 16) >= 0
    out = capsys.readouterr().out
    assert SECRET not in out and TOKEN not in out and salt not in out
    assert "そろっています" in out


def test_existing_parameters_are_left_alone(ssm, capsys):
    ssm.put_parameter(Name="/madoguchi/prod/line/channel-secret", Value=SECRET, Type="SecureString")
    ssm.put_parameter(Name="/madoguchi/prod/log-salt", Value="s" * 40, Type="SecureString")
    code = bootstrap["bootstrap"]("prod", ssm, prompt=answers(TOKEN))
    assert code == 0
    assert value(ssm, "/madoguchi/prod/log-salt") == "s" * 40
    assert value(ssm, "/madoguchi/prod/line/access-token") == TOKEN
    assert capsys.readouterr().out.count("そのままにします") == 2


def test_a_value_of_the_wrong_shape_is_asked_again_then_given_up(ssm, capsys):
    wrong = answers("not a secret", "still wrong", "", TOKEN)
    assert bootstrap["bootstrap"]("staging", ssm, prompt=wrong) == 1
    names = [p["Name"] for p in ssm.describe_parameters()["Parameters"]]
    assert "/madoguchi/staging/line/channel-secret" not in names
    assert "/madoguchi/staging/line/access-token" in names
    assert "作れませんでした" in capsys.readouterr().out


def test_replace_types_a_new_token_but_keeps_the_salt(ssm, capsys):
    bootstrap["bootstrap"]("staging", ssm, prompt=answers(SECRET, TOKEN))
    salt = value(ssm, "/madoguchi/staging/log-salt")
    new_token = "N" * 130
    assert (
        bootstrap["bootstrap"]("staging", ssm, replace=True, prompt=answers(SECRET, new_token)) == 0
    )
    assert value(ssm, "/madoguchi/staging/line/access-token") == new_token
    assert value(ssm, "/madoguchi/staging/log-salt") == salt
