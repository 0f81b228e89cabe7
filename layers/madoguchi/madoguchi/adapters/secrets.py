"""The LINE channel secret and access token, read from SSM Parameter Store (SecureString)."""

from __future__ import annotations

from dataclasses import dataclass

from madoguchi.adapters.aws import ssm_parameter
from madoguchi.config import ConfigError

# Parameters are cached in memory this long, so a rotated secret is picked up within 5 minutes.
CACHE_SECONDS = 300


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
            value = ssm_parameter(name, CACHE_SECONDS)
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


def read_access_token(parameter: str) -> str:
    """Only the access token (the indexer deploys rich menus and needs nothing else)."""
    value = ssm_parameter(parameter, CACHE_SECONDS)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"SSM parameter {parameter} is empty")
    return value.strip()


class SsmLogSalt:
    """The search log's salt for user references, read by SSM parameter name and cached."""

    def __init__(self, parameter: str) -> None:
        self.parameter = parameter

    def __repr__(self) -> str:
        return f"SsmLogSalt({self.parameter!r})"

    def __call__(self) -> str:
        """The salt; a short one would make user references guessable, so it is refused."""
        value = ssm_parameter(self.parameter, CACHE_SECONDS)
        if not isinstance(value, str) or len(value.strip()) < 16:
            raise ConfigError(f"SSM parameter {self.parameter} must hold at least 16 characters")
        return value.strip()
