"""AutoThrottle that never speeds a domain up past what its robots.txt Crawl-delay allows."""

from __future__ import annotations

from scrapy.core.downloader import Slot
from scrapy.crawler import Crawler
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response

from newscrawl.reliability.pacing import Pacer, pacer_for


class CrawlDelayAwareAutoThrottle(AutoThrottle):
    """Scrapy's AutoThrottle, with the pacer's per-domain floors applied after each adjustment.

    Plain AutoThrottle lowers a slot's delay towards the measured latency, which on a fast server would undo
    a Crawl-delay within a few responses.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.pacer: Pacer = pacer_for(crawler)

    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        super()._adjust_delay(slot, latency, response)
        request = response.request
        if request is not None and self.crawler.engine is not None:
            self.pacer.apply_floor(self.crawler.engine.downloader.get_slot_key(request), slot)
