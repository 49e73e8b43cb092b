"""Spider middleware: no record from a truncated page, and every callback crash counted as a dropped page."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

logger = logging.getLogger(__name__)


class TruncatedPageMiddleware:
    """Links from a truncated body are followed (they are real); records made from it are dropped and counted.

    A body cut off mid-transfer is kept only on a request's last attempt (DropAccountingMiddleware). An
    article extracted from it would carry half a body with nothing saying so: worse than no record.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TruncatedPageMiddleware:
        return cls(crawler)

    def _keep(self, response: Response, result: Any) -> bool:
        if isinstance(result, Request) or "dataloss" not in response.flags:
            return True
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("newscrawl/dropped/truncated_article")
        logger.warning("no record from %s: its body was truncated in transfer", response.url)
        return False

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        return (each for each in result if self._keep(response, each))

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for each in result:
            if self._keep(response, each):
                yield each

    def process_spider_exception(self, response: Response, exception: Exception) -> None:
        # Scrapy logs the traceback and carries on; the page it was about is lost, so it is counted too.
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"newscrawl/dropped/callback_error/{type(exception).__name__}")
