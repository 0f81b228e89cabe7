"""Create the three SSM parameters a stage needs before its first `sam deploy`, asking for the
LINE values without echoing them (`make bootstrap STAGE=staging`).

    python scripts/bootstrap.py --stage staging [--region ap-northeast-1] [--replace]

For /madoguchi/<Stage>/line/channel-secret, /madoguchi/<Stage>/line/access-token and
/madoguchi/<Stage>/log-salt: a parameter that exists is left alone (say --replace to type a new
value, e.g. after reissuing the token); a missing one is created as a SecureString. The channel
secret and the access token are typed at a hidden prompt (LINE Developers console, Messaging API
channel: "Channel secret" on Basic settings, "Channel access token (long-lived)" on Messaging
API); the log salt is generated. No value is ever printed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from madoguchi.adapters.aws import aws_client


@dataclass(frozen=True)
class Parameter:
    """One SecureString the functions read, and how its value is obtained and checked."""

    suffix: str
    what: str  # in the prompt and the messages
    pattern: str | None  # the shape a typed value must have; None: generated
    hint: str = ""


PARAMETERS = (
    Parameter(
        "line/channel-secret",
        "LINE のチャネルシークレット",
        r"[0-9a-f]{32}",
        "LINE Developers コンソール → チャネル基本設定 → チャネルシークレット(英数字 32 文字)",
    ),
    Parameter(
        "line/access-token",
        "LINE のチャネルアクセストークン(長期)",
        r"[A-Za-z0-9+/=._-]{100,}",
        "LINE Developers コンソール → Messaging API設定 → チャネルアクセストークン(長期)",
    ),
    Parameter("log-salt", "検索ログの鍵(ソルト)", None),
)


def name_of(stage: str, parameter: Parameter) -> str:
    """The parameter name the template gives the functions for this stage."""
    return f"/madoguchi/{stage}/{parameter.suffix}"


def exists(ssm: Any, name: str) -> bool:
    """True when the parameter is there (its value is not decrypted or read)."""
    try:
        ssm.get_parameter(Name=name, WithDecryption=False)
    except ssm.exceptions.ParameterNotFound:
        return False
    return True


def ask(parameter: Parameter, prompt: Callable[[str], str]) -> str | None:
    """A value typed at the hidden prompt, checked against its shape; None after three misses."""
    print(f"  {parameter.hint}")
    for _ in range(3):
        value = prompt(f"  {parameter.what}を貼り付けて Enter(画面には表示されません): ").strip()
        if parameter.pattern and re.fullmatch(parameter.pattern, value):
            return value
        print("  形が違うようです(空白や改行が混ざっていないか、別の値でないか確かめてください)。")
    return None


def bootstrap(
    stage: str, ssm: Any, *, replace: bool = False, prompt: Callable[[str], str] = getpass.getpass
) -> int:
    """Check, and create where missing, every parameter of the stage; 0 when all are there."""
    missing = 0
    for parameter in PARAMETERS:
        name = name_of(stage, parameter)
        there = exists(ssm, name)
        if there and not replace:
            print(f"OK  {name}(あります。そのままにします)")
            continue
        if there and parameter.pattern is None:
            print(f"OK  {name}(鍵は作り直しません。作り直すと過去の検索ログと結びつかなくなります)")
            continue
        print(f"{'更新' if there else '作成'} {name}")
        value = ask(parameter, prompt) if parameter.pattern else secrets.token_hex(32)
        if value is None:
            print(f"NG  {name} は作れませんでした。もう一度実行してください。")
            missing += 1
            continue
        ssm.put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=there)
        print(f"OK  {name}(SecureString で保存しました)")
    if missing:
        return 1
    print(f"\nステージ {stage} のパラメータはそろっています。次は: make build && sam deploy")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="デプロイ前に必要な SSM パラメータを確認・作成します。"
    )
    parser.add_argument("--stage", required=True, help="ステージ名(例: staging, prod)")
    parser.add_argument("--region", help="AWS リージョン(省略時は AWS の設定のとおり)")
    parser.add_argument("--replace", action="store_true", help="あるパラメータも入れ直す")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z0-9-]{1,10}", args.stage):
        print(
            "ステージ名は英小文字・数字・ハイフンで 10 文字までです(テンプレートの Stage と同じ)。"
        )
        return 2
    if args.region:
        os.environ["AWS_DEFAULT_REGION"] = args.region
    ssm = aws_client("ssm")
    return bootstrap(args.stage, ssm, replace=args.replace)


if __name__ == "__main__":
    sys.exit(main())
