"""The distributed scheduler: scrapy-redis's, over the reliable queue and the expiring duplicate filter."""

from __future__ import annotations

import importlib
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy_redis.scheduler import Scheduler

from newscrawl.distributed.delivery import DeliveryGate
from newscrawl.distributed.dupefilter import (
    DEFAULT_DISCOVERY_CALLBACKS,
    DEFAULT_DISCOVERY_TTL,
    DEFAULT_SEEN_TTL,
    ExpiringDupeFilter,
)
from newscrawl.distributed.queue import ReliablePriorityQueue
from newscrawl.distributed.state import CrawlState, DistributedCrawlError, connect, default_worker_id
from newscrawl.distributed.worker import WorkerLifecycle

DEFAULT_SERIALIZER = "scrapy_redis.picklecompat"


def crawl_id(spider: Spider) -> str:
    """The crawl a worker joins: the site it crawls (its ``site_id``), so each site has its own queue."""
    return str(getattr(spider, "site_id", None) or spider.name)


def request_serializer(settings: BaseSettings) -> Any:
    """``SCHEDULER_SERIALIZER`` (a module name or a module) as scrapy-redis reads it: workers and
    ``newscrawl seed`` must encode queued requests alike."""
    serializer = settings.get("SCHEDULER_SERIALIZER") or DEFAULT_SERIALIZER
    return importlib.import_module(serializer) if isinstance(serializer, str) else serializer


class ReliableScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's ``Scheduler`` for a cluster of newscrawl workers sharing one crawl per site.

    Differences from scrapy-redis, each for a reason: the queue and fingerprints are never flushed when a
    worker closes (they belong to the cluster); keys are named after the site (``newscrawl:<site>:...``), not
    after the spider, since every site is crawled by the same ``news`` spider; requests are taken with the
    reliable-queue pattern; and the worker's heartbeat and stop rules run alongside (``WorkerLifecycle``).
    """

    crawler: Crawler
    queue: ReliablePriorityQueue
    df: ExpiringDupeFilter
    lifecycle: WorkerLifecycle
    gate: DeliveryGate

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReliableScheduler:
        settings = crawler.settings
        url = settings.get("NEWSCRAWL_REDIS_URL")
        if not url:
            raise DistributedCrawlError("ReliableScheduler needs NEWSCRAWL_REDIS_URL (enable RedisAddon)")
        scheduler = cls(server=connect(url), persist=True, serializer=request_serializer(settings))
        scheduler.crawler = crawler
        scheduler.stats = crawler.stats
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        settings = self.crawler.settings
        worker = settings.get("NEWSCRAWL_WORKER_ID") or default_worker_id()
        state = CrawlState(self.server, crawl_id(spider))
        self.queue = ReliablePriorityQueue(self.server, spider, state.keys.queue, self.serializer,
                                           state=state, worker=worker)
        self.df = ExpiringDupeFilter(
            state,
            seen_ttl=settings.getint("NEWSCRAWL_REDIS_SEEN_TTL", DEFAULT_SEEN_TTL),
            discovery_ttl=settings.getint("NEWSCRAWL_REDIS_DISCOVERY_TTL", DEFAULT_DISCOVERY_TTL),
            discovery_callbacks=settings.getlist("NEWSCRAWL_REDIS_DISCOVERY_CALLBACKS",
                                                 list(DEFAULT_DISCOVERY_CALLBACKS)),
            fingerprinter=getattr(self.crawler, "request_fingerprinter", None),
            debug=settings.getbool("DUPEFILTER_DEBUG"),
        )
        self.gate = DeliveryGate(self.crawler, state, self.queue, worker)
        self.lifecycle = WorkerLifecycle(self.crawler, state, self.queue, worker)
        self.lifecycle.start()
        # The worker leaves the cluster when the engine has stopped, not here in close(): the feed exporter
        # delivers its last batch after the scheduler closed, and until then the requests behind that batch
        # must stay this worker's (and the heartbeat say it lives).
        self.crawler.signals.connect(self.lifecycle.stop, signal=signals.engine_stopped)

    def close(self, reason: str) -> None:
        self.queue.flush_finished()

    def enqueue_request(self, request: Request) -> bool:
        # The filter decides about dont_filter itself: discovery requests are windowed even with it.
        if self.df.request_seen(request):
            self.df.log(request, self.spider)
            self._inc("dupefilter/filtered")
            return False
        self.queue.push(request)
        self._inc("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        self.queue.flush_finished()
        request = self.queue.pop()
        if request is not None:
            self.lifecycle.note_busy()
            self._inc("scheduler/dequeued/redis")
        return request

    def _inc(self, key: str, count: int = 1) -> None:
        stats: Any = self.stats
        if stats is not None:
            stats.inc_value(key, count)
