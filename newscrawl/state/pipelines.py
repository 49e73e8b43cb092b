"""Versions exported articles: a new article is version 1, a changed one the next version, an unchanged one
is not exported again."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from newscrawl.items import Article
from newscrawl.state.extension import CrawlState, Unchanged


class VersionPipeline:
    """Compares each article's ``content_hash`` with the version last delivered for its canonical URL.

    Runs after deduplication, so one run never exports a canonical URL twice, and last, so that an article
    it passes is one that is exported.
    """

    def __init__(self, state: CrawlState, crawler: Crawler) -> None:
        self.state = state
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> VersionPipeline:
        return cls(CrawlState.of(crawler), crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        if not item.content_hash:
            item.content_hash = item.compute_content_hash()
        delivered = self.state.delivered_version(item.canonical_url)
        if delivered is not None and delivered.content_hash == item.content_hash:
            self.crawler.stats.inc_value("newscrawl/state/unchanged")
            raise Unchanged(item.canonical_url)
        if delivered is None:
            item.version, item.previous_content_hash = 1, None
            self.crawler.stats.inc_value("newscrawl/state/new")
        else:
            item.version, item.previous_content_hash = delivered.version + 1, delivered.content_hash
            self.crawler.stats.inc_value("newscrawl/state/updated")
        return item
