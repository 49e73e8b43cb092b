"""When a worker's records count as delivered, so that its requests and article claims may be let go."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from newscrawl.distributed.queue import ReliablePriorityQueue
from newscrawl.distributed.state import CrawlState, member_digest
from newscrawl.export import signals as export_signals
from newscrawl.items import Article


@dataclass(frozen=True)
class _Pending:
    parts: frozenset[Path]
    request: bytes | None
    claim: bytes


class DeliveryGate:
    """Confirms an article's claim, and lets its request go, only once its record is delivered.

    With plain feed files (written unbuffered) a record is delivered when the exporter wrote it. With the
    crash-safe export (``newscrawl.export``: ``.part`` files renamed when a batch is complete, and removed
    if the run was cut) a record is delivered when its batch is: until then its request stays the worker's
    in Redis (parked), and a worker killed before the delivery has those requests redone by another.
    The export's ``batch_*`` signals say which ``.part`` files are open; a record waits for every part open
    when it was written (with several feeds, a record is in one part of each).
    """

    def __init__(self, crawler: Crawler, state: CrawlState, queue: ReliablePriorityQueue,
                 worker: str) -> None:
        self.state = state
        self.queue = queue
        self.worker = worker
        self._open_parts: set[Path] = set()
        self._finals: dict[Path, Path] = {}
        self._delivered: set[Path] = set()
        self._pending: list[_Pending] = []
        # Connected when the spider opens, after the FeedExporter (an extension, connected when the crawler
        # was built): on item_scraped, the record is written before this gate sees it.
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.batch_opened, signal=export_signals.batch_opened)
        crawler.signals.connect(self.batch_ready, signal=export_signals.batch_ready)
        crawler.signals.connect(self.batch_delivered, signal=export_signals.batch_delivered)

    def item_scraped(self, item: Any, response: Response | None) -> None:
        if not isinstance(item, Article):
            return
        claim = member_digest(item.canonical_url)
        if not self._open_parts:
            self.state.confirm_claim(self.worker, claim)
            return
        request = self.queue.hold_for_delivery(getattr(response, "request", None))
        self._pending.append(_Pending(frozenset(self._open_parts), request, claim))

    def batch_opened(self, part_path: Path) -> None:
        self._open_parts.add(Path(part_path))

    def batch_ready(self, part_path: Path, final_path: Path, **kwargs: Any) -> None:
        self._finals[Path(final_path)] = Path(part_path)

    def batch_delivered(self, path: Path, **kwargs: Any) -> None:
        part = self._finals.pop(Path(path), None)
        if part is None:
            return
        self._open_parts.discard(part)
        self._delivered.add(part)
        done = [pending for pending in self._pending if pending.parts <= self._delivered]
        if not done:
            return
        self._pending = [pending for pending in self._pending if not pending.parts <= self._delivered]
        for pending in done:
            self.state.confirm_claim(self.worker, pending.claim)
        self.queue.delivered([pending.request for pending in done if pending.request is not None])
        # Parts no pending record waits for are forgotten, so the set stays as small as the open batches.
        waited_for = set().union(*(pending.parts for pending in self._pending))
        self._delivered &= waited_for
