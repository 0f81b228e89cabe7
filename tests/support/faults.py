"""Faults injected into the storage and the staff notifier of a publish: every call is recorded,
and one chosen call fails, either with an error (S3 or SNS refused, or its answer was lost) or by
stopping the function outright (a Lambda timeout, where no `except Exception` runs), before the
call or after it took effect."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from madoguchi.adapters.notifier import RecordingNotifier
from madoguchi.adapters.storage import Storage


class InjectedFault(ConnectionError):
    """The outside system refused or did not answer (an injected failure)."""


class FunctionStopped(BaseException):
    """The function was stopped mid-call (an injected Lambda timeout): nothing may catch it."""


@dataclass
class Faults:
    """Which call fails (counted from 1 across storage and notifier; 0: none) and how."""

    fail_at: int = 0
    stop: bool = False  # stop the function instead of raising an error
    after: bool = False  # fail once the call took effect (its answer was lost)
    calls: list[str] = field(default_factory=list)  # "put indexes/current.json", …

    @property
    def kind(self) -> str:
        """How the chosen call fails, in words."""
        how = "function stopped" if self.stop else "error"
        return f"{how} {'after' if self.after else 'before'} the call"

    def around(self, name: str, call: Callable[[], Any]) -> Any:
        """Make the call, failing before or after it when it is the chosen one."""
        self.calls.append(name)
        chosen = len(self.calls) == self.fail_at
        if chosen and not self.after:
            self._fail(name)
        result = call()
        if chosen:
            self._fail(name)
        return result

    def _fail(self, name: str) -> None:
        raise FunctionStopped(name) if self.stop else InjectedFault(name)


class FaultyStorage:
    """A Storage whose calls go through `faults` first."""

    def __init__(self, inner: Storage, faults: Faults) -> None:
        self.inner, self.faults = inner, faults

    def __getattr__(self, method: str) -> Any:
        call = getattr(self.inner, method)

        def faulty(key: str, *args: Any, **kwargs: Any) -> Any:
            return self.faults.around(f"{method} {key}", lambda: call(key, *args, **kwargs))

        return faulty


class FaultyNotifier(RecordingNotifier):
    """Staff mail that goes through `faults` first; `sent` keeps what got out."""

    def __init__(self, faults: Faults) -> None:
        super().__init__()
        self.faults = faults

    def notify(self, subject: str, message: str) -> None:
        """Keep the mail, failing before or after if it is this call's turn."""
        self.faults.around("notify", lambda: super(FaultyNotifier, self).notify(subject, message))
