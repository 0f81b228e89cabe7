"""SSM parameters under a burst: throttled reads back off with jitter, and an environment that
once read a value keeps answering with it while SSM refuses."""

import pytest
from botocore.exceptions import ClientError

from madoguchi.adapters.secrets import (
    READ_ATTEMPTS,
    STALE_RETRY_SECONDS,
    KeptParameters,
)
from tests.support.clock import FixedClock


def throttled() -> ClientError:
    return ClientError(
        {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "GetParameter"
    )


def missing() -> ClientError:
    return ClientError({"Error": {"Code": "ParameterNotFound", "Message": ""}}, "GetParameter")


class Ssm:
    """Answers from a script: a value, or an error to raise, per call."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = 0

    def __call__(self, name, max_age):
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def reader(ssm, clock=None, waits=None):
    return KeptParameters(
        fetch=ssm,
        clock=clock or FixedClock(),
        sleep=(waits.append if waits is not None else lambda _: None),
        jitter=lambda: 1.0,
    )


def test_a_throttled_first_read_backs_off_and_succeeds():
    waits: list[float] = []
    ssm = Ssm(throttled(), throttled(), "secret")
    assert reader(ssm, waits=waits).read("/p") == "secret"
    assert ssm.calls == 3
    assert waits == [0.05, 0.1]  # the jitter's upper bound doubles each time


def test_backing_off_is_bounded_so_a_request_still_fits_lines_two_seconds():
    waits: list[float] = []
    ssm = Ssm(*[throttled()] * READ_ATTEMPTS)
    with pytest.raises(ClientError):
        reader(ssm, waits=waits).read("/p")
    assert ssm.calls == READ_ATTEMPTS
    assert sum(waits) < 1.0


def test_a_missing_parameter_is_not_retried():
    ssm = Ssm(missing(), "never")
    with pytest.raises(ClientError):
        reader(ssm).read("/p")
    assert ssm.calls == 1


def test_a_refused_refresh_keeps_the_value_read_before_and_asks_again_later():
    clock = FixedClock()
    ssm = Ssm("old", throttled(), "new")
    kept = reader(ssm, clock)
    assert kept.read("/p") == "old"
    assert kept.read("/p") == "old"  # SSM refused: the value held before answers
    assert ssm.calls == 2
    clock.advance(STALE_RETRY_SECONDS - 1)
    assert kept.read("/p") == "old"  # not asked again yet
    assert ssm.calls == 2
    clock.advance(1)
    assert kept.read("/p") == "new"
    assert ssm.calls == 3


def test_a_parameter_removed_after_it_was_read_is_an_error_not_an_old_value():
    ssm = Ssm("old", missing())
    kept = reader(ssm)
    assert kept.read("/p") == "old"
    with pytest.raises(ClientError):
        kept.read("/p")


def test_no_answer_from_ssm_keeps_the_value_read_before():
    from botocore.exceptions import EndpointConnectionError

    ssm = Ssm("old", EndpointConnectionError(endpoint_url="https://ssm.example"))
    kept = reader(ssm)
    assert kept.read("/p") == "old"
    assert kept.read("/p") == "old"
