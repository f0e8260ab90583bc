"""Python's cycle collector paused while a return is read and stored.

An ingestion makes millions of short-lived tuples and lists (a chunk's rows for an
executemany, the register's entries, polars' values handed to Python). Each time enough of
them outlive a young collection, Python walks every object in the process looking for cycles
(0.15 to 0.25 s a walk here, once or twice per million lines, and four times as often with
200,000 suppliers) and finds none: the ingestion's data is freed by reference counting. So
the collector is off while any ingestion in the process runs, and on again after the last
one ends (it then collects what cycles there were)."""

import gc
import threading
from collections.abc import Callable
from functools import wraps

_lock = threading.Lock()
_running = 0  # ingestions under way in this process
_was_enabled = False  # whether the collector ran before the first of them


def collector_paused(work: Callable) -> Callable:
    """``work`` run with the cycle collector off (see the module)."""
    @wraps(work)
    def paused(*args, **kwargs):
        _pause()
        try:
            return work(*args, **kwargs)
        finally:
            _resume()

    return paused


def _pause() -> None:
    global _running, _was_enabled
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _running += 1


def _resume() -> None:
    global _running
    with _lock:
        _running -= 1
        if _running == 0 and _was_enabled:
            gc.enable()
