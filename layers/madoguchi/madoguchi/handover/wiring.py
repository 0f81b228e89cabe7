"""Build the hand-over desk from the configuration: which state, log, notifier and salt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from madoguchi.adapters.conversation_state import conversation_state_for
from madoguchi.adapters.notifier import notifier_for
from madoguchi.adapters.search_log import DynamoSearchLog, SearchLog, SqliteSearchLog
from madoguchi.clock import Clock, system_clock
from madoguchi.config import Config
from madoguchi.handover.desk import HandoverDesk


def search_log_for(config: Config, clock: Clock = system_clock) -> SearchLog | None:
    """DynamoDB when MADOGUCHI_LOG_TABLE is set, else a table in the local SQLite state file."""
    if config.log_table:
        return DynamoSearchLog(config.log_table, clock=clock)
    if config.state_path:
        return SqliteSearchLog(config.state_path, clock=clock)
    return None


def salt_for(
    config: Config, log: SearchLog | None, fallback: Callable[[], str] | None = None
) -> Callable[[], str]:
    """The secret mixed into user references: SSM in the cloud, the SQLite file's own locally."""
    if config.log_salt_param:
        from madoguchi.adapters.secrets import SsmLogSalt

        return SsmLogSalt(config.log_salt_param)
    if isinstance(log, SqliteSearchLog):
        salt = log.salt()
        return lambda: salt
    if fallback is not None:
        return fallback
    raise ValueError("set MADOGUCHI_LOG_SALT_PARAM to the SSM parameter holding the log salt")


def handover_desk_for(
    config: Config,
    *,
    salt_fallback: Callable[[], str] | None = None,
    clock: Clock = system_clock,
    **overrides: Any,
) -> HandoverDesk:
    """The desk production uses; tests and the local preview override pieces."""
    log = overrides.pop("log") if "log" in overrides else search_log_for(config, clock)
    values: dict[str, Any] = {"log": log, "clock": clock}
    if "state" not in overrides:
        values["state"] = conversation_state_for(config, clock=clock)
    if "notifier" not in overrides:
        values["notifier"] = notifier_for(config)
    if "salt" not in overrides:
        values["salt"] = salt_for(config, log, salt_fallback)
    values.setdefault("max_retention_days", config.log_retention_days)
    return HandoverDesk(**values, **overrides)
