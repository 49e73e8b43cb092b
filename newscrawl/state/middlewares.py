"""Skip known articles before they are requested, and turn a 304 on a revalidation into a recorded no-op."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from newscrawl.state.extension import REVALIDATE_META, CrawlState, is_article_request, page_key
from newscrawl.state.policy import Decision


class NotModified(IgnoreRequest):
    """The server answered 304 to a conditional GET: the delivered version is current."""


class StateSpiderMiddleware:
    """Filters the article requests a callback yields: new ones pass, known ones are dropped unless their
    sitemap/feed entry changed or a revisit is due, and then they carry If-None-Match / If-Modified-Since.

    A spider middleware rather than a downloader one: a skipped URL never reaches the scheduler, costs no
    request slot and no errback, and sitemaps, feeds and section pages (no entry meta) are never touched.
    """

    def __init__(self, state: CrawlState, crawler: Crawler) -> None:
        self.state = state
        self.crawler = crawler
        # URLs let through this run: a second discovery of one (feed and sitemap) is left to the dupefilter.
        self._passed: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateSpiderMiddleware:
        return cls(CrawlState.of(crawler), crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for element in result:
            if (kept := self._filter(element)) is not None:
                yield kept

    async def process_spider_output_async(self, response: Response,
                                          result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for element in result:
            if (kept := self._filter(element)) is not None:
                yield kept

    def _filter(self, element: Any) -> Any:
        if not isinstance(element, Request) or not is_article_request(element):
            return element
        url = page_key(element.url)
        now = time.time()
        if url in self._passed:
            # Found again (sitemap after feed, say): its entry date, if any, is the baseline for next runs.
            self.state.note_entry_date(element, now)
            return element
        decision = self.state.decide(element, now)
        self.crawler.stats.inc_value(f"newscrawl/state/requests/{decision.value}")
        if decision is Decision.SKIP:
            return None
        self._passed.add(url)
        if decision.conditional:
            known = self.state.known_page(url)
            if known is not None and known.etag:
                element.headers["If-None-Match"] = known.etag
            if known is not None and known.last_modified:
                element.headers["If-Modified-Since"] = known.last_modified
            element.meta[REVALIDATE_META] = decision.value
        return element


class StateDownloaderMiddleware:
    """Records a 304 answer to a revalidation and ends the request there (:class:`NotModified`)."""

    def __init__(self, state: CrawlState) -> None:
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateDownloaderMiddleware:
        return cls(CrawlState.of(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304 and REVALIDATE_META in request.meta:
            self.state.record_not_modified(request, response)
            raise NotModified(f"not modified since the last fetch: {request.url}")
        return response
