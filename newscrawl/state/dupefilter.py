"""A duplicate filter that forgets between runs, so a resumed run fetches its sitemaps, feeds and sections."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter


class RunDupeFilter(RFPDupeFilter):
    """Scrapy's filter without ``JOBDIR/requests.seen``.

    That file records requests when they are *scheduled*, buffered, and after a SIGKILL the queue that held
    them is gone: a resumed run then filters out feeds, sections and articles it never fetched (the
    SitemapSpider that "closes at once", scrapy#4479). The crawl state remembers what was *delivered*
    instead, so each run filters duplicates only within itself.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunDupeFilter:
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"),
                   fingerprinter=crawler.request_fingerprinter)
