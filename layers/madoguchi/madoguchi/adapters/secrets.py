"""The LINE channel secret and access token, read from SSM Parameter Store (SecureString).

SSM answers GetParameter at 40 requests a second per account and region by default. When many
environments start at once (a typhoon-day burst, a deployment, SnapStart restores whose cached
values have aged), their reads are throttled: each read backs off with full jitter, and an
environment that once read a value keeps answering with it while SSM refuses, instead of
failing residents' messages with 500.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from madoguchi.adapters.aws import ssm_parameter
from madoguchi.clock import Clock, system_clock
from madoguchi.config import ConfigError

log = logging.getLogger(__name__)

# Parameters are cached in memory this long, so a rotated secret is picked up within 5 minutes.
CACHE_SECONDS = 300
# A read refused by SSM is tried this often in all, waiting a random time below an exponentially
# growing cap (full jitter, so a burst of environments spreads out instead of retrying together).
READ_ATTEMPTS = 4
BACKOFF_BASE_SECONDS = 0.05
BACKOFF_CAP_SECONDS = 0.4  # at most about 0.75 s of waiting in all: LINE waits 2 s per request
# After a refused refresh, the value already held is used this long before SSM is asked again.
STALE_RETRY_SECONDS = 30


@dataclass
class KeptParameters:
    """Reads parameters with backoff and jitter, and keeps the last value read of each, so a
    refused refresh never turns a working environment into a failing one."""

    fetch: Callable[[str, int], Any] = ssm_parameter  # (name, max_age) -> value, cached
    clock: Clock = system_clock
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random
    _kept: dict[str, Any] = field(default_factory=dict)
    _retry_at: dict[str, float] = field(default_factory=dict)

    def read(self, name: str, max_age: int = CACHE_SECONDS) -> Any:
        """The parameter's value: fresh from the cache or SSM, else the one kept from before."""
        if name in self._kept and self.clock() < self._retry_at.get(name, 0.0):
            return self._kept[name]
        for attempt in range(READ_ATTEMPTS):
            try:
                value = self.fetch(name, max_age)
            except Exception as error:
                if name in self._kept and _transient(error):
                    # Keep answering with what worked; ask SSM again a little later.
                    log.warning(
                        "parameter refresh failed; the value read before is used",
                        extra={"parameter": name, "error_type": type(error).__name__},
                    )
                    self._retry_at[name] = self.clock() + STALE_RETRY_SECONDS
                    return self._kept[name]
                if attempt + 1 == READ_ATTEMPTS or not _throttled(error):
                    raise
                cap = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt)
                self.sleep(self.jitter() * cap)
                continue
            self._kept[name] = value
            self._retry_at.pop(name, None)
            return value
        raise AssertionError("unreachable")  # the loop returns or raises

    def forget(self) -> None:
        """Drop every kept value (tests, alongside powertools' clear_caches)."""
        self._kept.clear()
        self._retry_at.clear()


def _transient(error: Exception) -> bool:
    """SSM slowing down, failing inside or not answering: the value held before stays good. A
    missing parameter or a refused permission is an answer, and is raised (the webhook's 500
    and RequestsFailed tell the operators)."""
    if _throttled(error) or type(error).__name__ in _NO_ANSWER:
        return True
    response = getattr(error, "response", None) or {}
    return int(response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0) >= 500


# botocore's errors for an endpoint that did not answer (named, so botocore is not imported).
_NO_ANSWER = frozenset(
    {
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "ReadTimeoutError",
        "ConnectionClosedError",
    }
)


def _throttled(error: Exception) -> bool:
    """True for SSM's "slow down" answers (worth retrying), not for a missing parameter."""
    response = getattr(error, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    return code in {"ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"} or (
        "Rate exceeded" in str(error)
    )


# One per environment: every credential and salt reader shares the kept values.
PARAMETERS = KeptParameters()


@dataclass(frozen=True)
class LineCredentials:
    """What the webhook needs from LINE's console; never logged, never in the repository."""

    channel_secret: str
    access_token: str

    def __repr__(self) -> str:
        return "LineCredentials(channel_secret=***, access_token=***)"


class SsmLineCredentials:
    """Reads both values by parameter NAME; only the names are in the environment."""

    def __init__(self, secret_parameter: str, token_parameter: str) -> None:
        self.secret_parameter = secret_parameter
        self.token_parameter = token_parameter

    def __call__(self) -> LineCredentials:
        """Current values, decrypted; cached for CACHE_SECONDS by powertools."""

        def read(name: str) -> str:
            value = PARAMETERS.read(name)
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"SSM parameter {name} is empty")
            return value.strip()

        return LineCredentials(read(self.secret_parameter), read(self.token_parameter))


class StaticLineCredentials:
    """Throwaway values the local preview generates for its loopback LINE API each run."""

    def __init__(self, channel_secret: str, access_token: str) -> None:
        self._credentials = LineCredentials(channel_secret, access_token)

    def __repr__(self) -> str:
        return "StaticLineCredentials(***)"

    def __call__(self) -> LineCredentials:
        """The values given at start."""
        return self._credentials


def read_parameter(parameter: str) -> str:
    """One SecureString's value (the indexer's access token, the front-door check's secret)."""
    value = PARAMETERS.read(parameter)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"SSM parameter {parameter} is empty")
    return value.strip()


def read_access_token(parameter: str) -> str:
    """Only the access token (the indexer deploys rich menus and needs nothing else)."""
    return read_parameter(parameter)


class SsmLogSalt:
    """The search log's salt for user references, read by SSM parameter name and cached."""

    def __init__(self, parameter: str) -> None:
        self.parameter = parameter

    def __repr__(self) -> str:
        return f"SsmLogSalt({self.parameter!r})"

    def __call__(self) -> str:
        """The salt; a short one would make user references guessable, so it is refused."""
        value = PARAMETERS.read(self.parameter)
        if not isinstance(value, str) or len(value.strip()) < 16:
            raise ConfigError(f"SSM parameter {self.parameter} must hold at least 16 characters")
        return value.strip()
