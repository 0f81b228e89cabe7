"""One settings object for the functions, built from the environment and validated once."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


class ConfigError(ValueError):
    """The environment does not describe a runnable deployment."""


@dataclass(frozen=True)
class Config:
    """Where things live; secrets are referenced by SSM parameter name, never held here."""

    bucket_name: str | None = None  # S3 in production
    local_dir: Path | None = None  # local-directory storage for the preview and tests
    upload_prefix: str = "uploads/"
    index_prefix: str = "indexes/"
    report_prefix: str = "reports/"
    topic_arn: str | None = None
    state_table: str | None = None  # DynamoDB in production
    state_path: Path | None = None  # SQLite locally
    log_table: str | None = None  # DynamoDB search log; locally the log lives in state_path
    channel_secret_param: str | None = None
    channel_token_param: str | None = None
    log_salt_param: str | None = None
    line_api_base: str | None = None  # None: LINE itself; set for the loopback LINE API
    index_refresh_seconds: float = 30.0
    log_retention_days: int = 90
    # The semantic signal beside BM25 (e5 vectors); off: BM25 alone, nothing is embedded.
    semantic: bool = True
    embed_function: str | None = None  # the EmbedFunction the indexer invokes in AWS
    region: str | None = None  # AWS_REGION (set by Lambda): for console links in staff mail
    # The local preview generates a throwaway channel secret and token for its loopback LINE
    # API each run; refused unless storage is a local directory, so Lambda always reads SSM.
    local_channel_secret: str | None = field(default=None, repr=False)
    local_access_token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        """Read MADOGUCHI_* variables; raise ConfigError naming every problem at once."""
        env = os.environ if env is None else env
        problems: list[str] = []

        def number(name: str, default: float, kind: type = float) -> float:
            raw = env.get(name)
            if raw in (None, ""):
                return default
            try:
                value = kind(raw)
            except ValueError:
                problems.append(f"{name} must be a number, got {raw!r}")
                return default
            if not 0 < value < float("inf"):  # also refuses nan, which compares false
                problems.append(f"{name} must be a positive number, got {raw!r}")
            return value

        def switch(name: str, default: bool) -> bool:
            raw = (env.get(name) or "").strip().lower()
            if not raw:
                return default
            if raw not in ("on", "off"):
                problems.append(f"{name} must be on or off, got {env.get(name)!r}")
                return default
            return raw == "on"

        def prefix(name: str, default: str) -> str:
            value = env.get(name) or default
            return value if value.endswith("/") else value + "/"

        config = cls(
            bucket_name=env.get("MADOGUCHI_BUCKET") or None,
            local_dir=Path(env["MADOGUCHI_LOCAL_DIR"]) if env.get("MADOGUCHI_LOCAL_DIR") else None,
            upload_prefix=prefix("MADOGUCHI_UPLOAD_PREFIX", "uploads/"),
            index_prefix=prefix("MADOGUCHI_INDEX_PREFIX", "indexes/"),
            report_prefix=prefix("MADOGUCHI_REPORT_PREFIX", "reports/"),
            topic_arn=env.get("MADOGUCHI_TOPIC_ARN") or None,
            state_table=env.get("MADOGUCHI_STATE_TABLE") or None,
            state_path=Path(env["MADOGUCHI_STATE_PATH"])
            if env.get("MADOGUCHI_STATE_PATH")
            else None,
            log_table=env.get("MADOGUCHI_LOG_TABLE") or None,
            channel_secret_param=env.get("MADOGUCHI_CHANNEL_SECRET_PARAM") or None,
            channel_token_param=env.get("MADOGUCHI_CHANNEL_TOKEN_PARAM") or None,
            log_salt_param=env.get("MADOGUCHI_LOG_SALT_PARAM") or None,
            line_api_base=env.get("MADOGUCHI_LINE_API_BASE") or None,
            index_refresh_seconds=number("MADOGUCHI_INDEX_REFRESH_SECONDS", 30.0),
            log_retention_days=int(number("MADOGUCHI_LOG_RETENTION_DAYS", 90, int)),
            semantic=switch("MADOGUCHI_SEMANTIC", True),
            embed_function=env.get("MADOGUCHI_EMBED_FUNCTION") or None,
            region=env.get("AWS_REGION") or None,
            local_channel_secret=env.get("MADOGUCHI_LOCAL_CHANNEL_SECRET") or None,
            local_access_token=env.get("MADOGUCHI_LOCAL_ACCESS_TOKEN") or None,
        )
        if config.bucket_name and config.local_dir:
            problems.append("set only one of MADOGUCHI_BUCKET and MADOGUCHI_LOCAL_DIR")
        if not config.bucket_name and not config.local_dir:
            problems.append("set MADOGUCHI_BUCKET (S3) or MADOGUCHI_LOCAL_DIR (local directory)")
        if (config.local_channel_secret or config.local_access_token) and not config.local_dir:
            problems.append(
                "MADOGUCHI_LOCAL_CHANNEL_SECRET/MADOGUCHI_LOCAL_ACCESS_TOKEN are for the local "
                "preview only; in AWS use the SSM parameter names"
            )
        prefixes = [config.upload_prefix, config.index_prefix, config.report_prefix]
        for i, a in enumerate(prefixes):
            for b in prefixes[i + 1 :]:
                if a.startswith(b) or b.startswith(a):
                    # An overlapping prefix would let the indexer trigger itself forever.
                    problems.append(f"prefixes {a!r} and {b!r} overlap; keep them apart")
        if problems:
            raise ConfigError("invalid Madoguchi configuration: " + "; ".join(problems))
        return config
