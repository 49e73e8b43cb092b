"""A per-page wall-time budget, so that one pathological page cannot stall a whole crawl."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class BudgetExceeded(Exception):
    """The work inside ``time_limit`` ran longer than its budget and was abandoned."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``BudgetExceeded`` inside the block once it has run ``seconds`` of wall time.

    Extraction is pure Python and lxml work on one page; an interval timer is the only way to stop it from
    the outside without paying for a worker process per page. Timers only exist in the main thread on POSIX,
    where Scrapy runs callbacks; elsewhere (or with ``seconds <= 0``) the block runs without a limit.
    """
    usable = (seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise BudgetExceeded(f"over the {seconds:g} s budget")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
