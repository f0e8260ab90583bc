"""Python's cycle collector is off only while ingestions run, and as it was once they end."""

import gc
import threading

import pytest

from exchange.ingest.collector import collector_paused


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_while_the_work_runs_and_on_again_after_it():
    seen = collector_paused(gc.isenabled)()
    assert seen is False
    assert gc.isenabled()


def test_work_that_fails_still_turns_the_collector_back_on():
    @collector_paused
    def failing():
        raise ValueError("a file nobody could read")

    with pytest.raises(ValueError):
        failing()
    assert gc.isenabled()


def test_the_collector_stays_off_until_the_last_of_two_overlapping_ingestions_ends():
    first_started, second_done, first_may_end = (threading.Event() for _ in range(3))
    seen = {}

    @collector_paused
    def first():
        first_started.set()
        first_may_end.wait(5)
        seen["first, at its end"] = gc.isenabled()

    @collector_paused
    def second():
        seen["second"] = gc.isenabled()

    thread = threading.Thread(target=first)
    thread.start()
    first_started.wait(5)
    second()
    seen["between the second's end and the first's"] = gc.isenabled()
    first_may_end.set()
    thread.join(5)
    assert seen == {"second": False, "between the second's end and the first's": False,
                    "first, at its end": False}
    assert gc.isenabled()


def test_a_collector_that_was_off_before_stays_off():
    gc.disable()
    collector_paused(lambda: None)()
    assert not gc.isenabled()
