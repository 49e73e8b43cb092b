"""The cluster's duplicate filter: scrapy-redis's, with expiring fingerprints and a discovery window."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from scrapy import Request, Spider
from scrapy_redis.dupefilter import RFPDupeFilter

from newscrawl.distributed.state import CrawlState

DEFAULT_SEEN_TTL = 7 * 24 * 3600
DEFAULT_DISCOVERY_TTL = 300
#: The news spider's callbacks for pages that list articles rather than are articles.
DEFAULT_DISCOVERY_CALLBACKS = ("parse_any", "parse_robots", "parse_sitemap", "parse_feed", "parse_listing")


class ExpiringDupeFilter(RFPDupeFilter):  # type: ignore[misc]
    """scrapy-redis's ``RFPDupeFilter`` whose memory is bounded and which lets a cluster keep discovering.

    scrapy-redis keeps every fingerprint forever in one Redis set, so a long-lived cluster grows without bound
    and never fetches a sitemap or feed twice, which is how it would find new articles. Here each fingerprint
    carries the time it was added and is forgotten after ``seen_ttl`` (articles: default a week) or, for
    requests whose callback reads a sitemap, feed, robots.txt or listing page, after ``discovery_ttl``
    (default five minutes): often enough to see what is new, never twice within the window, so a sitemap index
    that lists itself cannot make workers loop. Discovery requests are filtered by this window even when the
    spider marks them ``dont_filter`` (it does so for a single machine's repeated runs); retries never are.
    """

    def __init__(self, state: CrawlState, *, seen_ttl: int = DEFAULT_SEEN_TTL,
                 discovery_ttl: int = DEFAULT_DISCOVERY_TTL,
                 discovery_callbacks: Collection[str] = DEFAULT_DISCOVERY_CALLBACKS,
                 fingerprinter: Any = None, debug: bool = False) -> None:
        super().__init__(state.server, key=state.keys.seen, debug=debug)
        if seen_ttl <= 0 or discovery_ttl <= 0:
            raise ValueError("fingerprint TTLs must be positive seconds")
        self.state = state
        self.seen_ttl = seen_ttl
        self.discovery_ttl = discovery_ttl
        self.discovery_callbacks = frozenset(discovery_callbacks)
        self.fingerprinter = fingerprinter

    @classmethod
    def from_spider(cls, spider: Spider) -> ExpiringDupeFilter:
        raise TypeError("ExpiringDupeFilter is built with its crawl by ReliableScheduler")

    def is_discovery(self, request: Request) -> bool:
        callback = request.callback
        return getattr(callback, "__name__", None) in self.discovery_callbacks

    def request_seen(self, request: Request) -> bool:
        # A retry is the same request sent again on purpose (RetryMiddleware counts it in meta).
        if request.meta.get("retry_times"):
            return False
        if self.is_discovery(request):
            return self.state.seen_or_add(self.state.keys.discovery_seen, self.request_fingerprint(request),
                                          self.discovery_ttl)
        if request.dont_filter:
            return False
        return self.state.seen_or_add(self.key, self.request_fingerprint(request), self.seen_ttl)

    def request_fingerprint(self, request: Request) -> bytes:
        # Scrapy's own fingerprinter when the crawler has one, so REQUEST_FINGERPRINTER_* settings apply and a
        # fingerprint is 20 raw bytes instead of 40 hex characters.
        if self.fingerprinter is not None:
            fingerprint: bytes = self.fingerprinter.fingerprint(request)
            return fingerprint
        return bytes.fromhex(super().request_fingerprint(request))

    def close(self, reason: str = "") -> None:
        # scrapy-redis deletes the fingerprints here; they belong to the whole cluster, not to this worker.
        pass
