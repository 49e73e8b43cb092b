"""Cluster-wide deduplication: each article is written by exactly one worker, even when a worker is killed."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.distributed.dupefilter import DEFAULT_SEEN_TTL
from newscrawl.distributed.scheduler import crawl_id
from newscrawl.distributed.state import CrawlState, connect, default_worker_id, member_digest
from newscrawl.items import Article


class ClusterDeduplicatePipeline:
    """The last pipeline in distributed mode: one record per canonical URL across all workers.

    The per-process ``DeduplicatePipeline`` cannot see that another worker already exported an article reached
    by another URL, nor that a killed worker delivered an article whose request is now redone elsewhere. Here
    an article is claimed in Redis before it is written; ``DeliveryGate`` confirms the claim once the record
    is delivered. A worker killed before that has its unconfirmed claims released with its requests, so the
    redo exports the article; a confirmed claim makes the redo drop it. Only a kill between a delivery and its
    confirmation (consecutive calls in one signal dispatch) can give a second copy; nothing can lose one.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.redis_url: str = settings.get("NEWSCRAWL_REDIS_URL")
        self.worker: str = settings.get("NEWSCRAWL_WORKER_ID") or default_worker_id()
        self.ttl = settings.getint("NEWSCRAWL_REDIS_SEEN_TTL", DEFAULT_SEEN_TTL)
        self.state: CrawlState | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterDeduplicatePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        assert spider is not None
        self.state = CrawlState(connect(self.redis_url), crawl_id(spider))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article) or self.state is None:
            return item
        keys = self.state.keys
        if self.state.seen_or_add(keys.exported, member_digest(item.canonical_url), self.ttl,
                                  claims=keys.claims(self.worker)):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("newscrawl/dropped/duplicate_in_cluster")
            raise DropItem(f"duplicate_in_cluster: {item.url}")
        return item
