"""Per-domain pacing the sites ask for: Retry-After, back-off after errors, and robots.txt Crawl-delay."""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.core.downloader import Slot
    from scrapy.crawler import Crawler


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date), ``None`` if unreadable.

    A date in the past means "now" (0); garbage, negative numbers and non-finite values are ignored, so a
    broken header falls back to ordinary back-off instead of stalling the domain.
    """
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # RFC 9110 dates are GMT
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass
class Pacer:
    """One crawl's pacing state, keyed by downloader slot (the host name)."""

    crawl_delays: dict[str, float] = field(default_factory=dict)
    """Crawl-delay from robots.txt: a floor under the slot's delay for the whole crawl."""
    too_slow: dict[str, float] = field(default_factory=dict)
    """Hosts whose Crawl-delay is over NEWSCRAWL_CRAWL_DELAY_MAX: skipped: the site asks to be left alone."""
    delay_before_backoff: dict[str, float] = field(default_factory=dict)

    def floor(self, key: str) -> float:
        return self.crawl_delays.get(key, 0.0)

    def apply_floor(self, key: str, slot: Slot) -> None:
        floor = self.crawl_delays.get(key)
        if floor is not None and (slot.delay < floor or slot.jitter):
            slot.delay = max(slot.delay, floor)
            # Scrapy's jitter would make half the gaps shorter than the Crawl-delay the site asked for.
            slot.jitter = 0.0

    def back_off(self, key: str, slot: Slot, seconds: float) -> None:
        """Hold the slot for ``seconds`` from now, and keep its delay at least that long until a success."""
        self.delay_before_backoff.setdefault(key, slot.delay)
        slot.delay = max(slot.delay, seconds)
        # The downloader waits `delay` after `lastseen`: moving lastseen to now makes the wait start now,
        # not when the failed request was sent.
        slot.lastseen = monotonic()

    def recover(self, key: str, slot: Slot) -> None:
        """A success ends the back-off: the slot returns to its earlier pace (never below its floor)."""
        before = self.delay_before_backoff.pop(key, None)
        if before is not None:
            slot.delay = max(before, self.floor(key))


_PACERS: weakref.WeakKeyDictionary[Crawler, Pacer] = weakref.WeakKeyDictionary()


def pacer_for(crawler: Crawler) -> Pacer:
    pacer = _PACERS.get(crawler)
    if pacer is None:
        pacer = _PACERS[crawler] = Pacer()
    return pacer


def slot_of(crawler: Crawler, request: Request) -> tuple[str, Slot | None]:
    """The downloader slot key of ``request`` and the slot, when the downloader has one for it yet."""
    try:
        engine = crawler.engine
    except RuntimeError:  # Scrapy 2.19 raises before the crawl starts
        return "", None
    if engine is None:
        return "", None
    downloader = engine.downloader
    key = downloader.get_slot_key(request)
    return key, downloader.slots.get(key)
