"""Two thousand fuzzed bodies, signed with the channel secret, through the webhook handler: none
may crash it (an exception or a 5xx), and every reply it sends must pass LINE's checks."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.webhook_fuzz import fuzz_webhook

SEED = 20260401
BODIES = 2000


@pytest.fixture
def fuzz_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder for the SQLite state: in memory where the machine has one (each event's claim
    is a committed write, and on a slow disk the syncs alone would take half a minute)."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shm) as root:
        yield Path(root)


def test_fuzzed_signed_bodies_never_crash_the_webhook(fuzz_dir):
    run = fuzz_webhook(fuzz_dir, SEED, BODIES)
    assert run.bodies == BODIES
    assert run.crashes == []
    assert set(run.statuses) == {200, 400}
    # Both sides were exercised: refused payloads, and events the responder answered.
    assert run.statuses[200] > BODIES / 4 and run.statuses[400] > BODIES / 4
    assert run.replies > 100
    assert run.invalid_replies == []
