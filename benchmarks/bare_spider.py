"""The ceiling: a bare Scrapy spider that follows every on-site link and extracts nothing.

Run it with ``scrapy runspider benchmarks/bare_spider.py -a url=http://127.0.0.1:PORT/`` from a directory
without a ``scrapy.cfg``, so that no project settings, pipelines or middlewares slow it down.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urldefrag, urlsplit

import scrapy
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    """Follows ``a[href]`` links on the start URL's origin, each URL once; yields no items."""

    name = "bare"

    def __init__(self, url: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not url:
            raise ValueError("bare spider needs -a url=<start URL>")
        parts = urlsplit(url)
        self.start_url = url
        self.origin = f"{parts.scheme}://{parts.netloc}/"
        self.seen: set[str] = {url}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url, callback=self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        if not isinstance(response, scrapy.http.TextResponse):
            return
        for href in response.css("a::attr(href)").getall():
            url = urldefrag(response.urljoin(href))[0]
            if url.startswith(self.origin) and url not in self.seen:
                self.seen.add(url)
                # The seen-set already removes duplicates: Scrapy's fingerprinting filter would only add cost.
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)
