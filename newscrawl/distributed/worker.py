"""One worker's life in the cluster: heartbeat, taking over dead workers' requests, and when to stop."""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import create_looping_call

from newscrawl.distributed.queue import ReliablePriorityQueue
from newscrawl.distributed.state import CrawlState, DistributedCrawlError

logger = logging.getLogger(__name__)

DEFAULT_HEARTBEAT = 2.0
# Longer than any single stall of the reactor (a page's extraction may take its 10 s budget, a large sitemap a
# few seconds more): a worker that is only busy must not be taken for dead, or its requests are fetched twice.
DEFAULT_WORKER_TIMEOUT = 60.0


class WorkerLifecycle:
    """Keeps this worker registered, recovers dead workers' work, and decides when an idle worker may close.

    A worker with nothing to do stays open (new seeds may come) until ``newscrawl stop`` was asked after it
    started, or it has been idle ``idle_timeout`` seconds, and in both cases only once the crawl is drained:
    nothing queued and no live worker holding a request, because a busy worker may still add requests and a
    dead one's requests come back to the queue after ``worker_timeout``.
    """

    def __init__(self, crawler: Crawler, state: CrawlState, queue: ReliablePriorityQueue,
                 worker: str) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.state = state
        self.queue = queue
        self.worker = worker
        self.heartbeat_interval = settings.getfloat("NEWSCRAWL_REDIS_HEARTBEAT", DEFAULT_HEARTBEAT)
        self.worker_timeout = settings.getfloat("NEWSCRAWL_REDIS_WORKER_TIMEOUT", DEFAULT_WORKER_TIMEOUT)
        self.idle_timeout = settings.getfloat("NEWSCRAWL_REDIS_IDLE_TIMEOUT", 0.0)
        if self.heartbeat_interval <= 0 or self.worker_timeout < 2 * self.heartbeat_interval:
            raise DistributedCrawlError(
                "NEWSCRAWL_REDIS_WORKER_TIMEOUT must be at least twice NEWSCRAWL_REDIS_HEARTBEAT (> 0), "
                "or live workers are taken for dead"
            )
        self.started_at = 0
        self._idle_since: float | None = None
        self._beat: Any = None

    @property
    def stats(self) -> StatsCollector:
        assert self.crawler.stats is not None
        return self.crawler.stats

    def start(self) -> None:
        # A worker id is reused when a machine or container restarts the worker: whatever the previous process
        # of that id held is unfinished, and this process is the one that knows it.
        requeued = self.state.release_worker(self.worker)
        if requeued:
            logger.info("worker %s: requeued %d requests left by an earlier process of this id",
                        self.worker, requeued)
            self.stats.inc_value("newscrawl/redis/requeued_own", requeued)
        self.started_at = self.state.heartbeat(self.worker)
        self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        self._beat = create_looping_call(self.tick)
        self._beat.start(self.heartbeat_interval, now=False)
        logger.info("worker %s joined crawl %r (%d requests queued)", self.worker, self.state.keys.crawl,
                    self.state.queued())

    def tick(self) -> None:
        """Every heartbeat: say this worker lives, ack finished requests, requeue dead workers' work."""
        try:
            self.state.heartbeat(self.worker)
            self.stats.inc_value("newscrawl/redis/acked", self.queue.flush_finished())
            requeued, dead = self.state.release_dead(self.worker_timeout)
            if self.state.queued():
                self._wake_engine()
        except Exception:
            # Redis away for a moment must not end the heartbeat loop; the next beat tries again.
            logger.exception("worker %s: heartbeat failed", self.worker)
            return
        if dead:
            logger.warning("worker %s: %d dead worker(s) found, %d of their requests requeued",
                           self.worker, dead, requeued)
            self.stats.inc_value("newscrawl/redis/dead_workers", dead)
            self.stats.inc_value("newscrawl/redis/requeued_dead", requeued)

    def _wake_engine(self) -> None:
        # An idle Scrapy engine asks the scheduler again only every 5 s; requests another worker queued in the
        # meantime would wait for that. Scrapy has no public call for "look again", so the engine's own
        # once-per-tick callback is scheduled, guarded so a Scrapy without it only loses the speed-up.
        slot = getattr(self.crawler.engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()

    def note_busy(self) -> None:
        self._idle_since = None

    def spider_idle(self) -> None:
        self.stats.inc_value("newscrawl/redis/acked", self.queue.settle())
        now = time.monotonic()
        if self._idle_since is None:
            self._idle_since = now
        if self.state.queued() or not self.state.drained():
            raise DontCloseSpider
        stop_at = self.state.stop_requested_at()
        if stop_at is not None and stop_at >= self.started_at:
            logger.info("worker %s: crawl drained and stop requested, closing", self.worker)
            return
        if self.idle_timeout and now - self._idle_since >= self.idle_timeout:
            logger.info("worker %s: crawl drained and idle for %g s, closing", self.worker, self.idle_timeout)
            return
        raise DontCloseSpider

    def stop(self) -> None:
        """At the end: stop the heartbeat, ack what is done, give back what is not, leave the cluster."""
        if self._beat is None:
            return
        if self._beat.running:
            self._beat.stop()
        self.stats.inc_value("newscrawl/redis/acked", self.queue.settle())
        requeued = self.state.release_worker(self.worker)
        if requeued:
            logger.info("worker %s: gave back %d unfinished requests", self.worker, requeued)
            self.stats.inc_value("newscrawl/redis/requeued_on_close", requeued)
        self._beat = None
