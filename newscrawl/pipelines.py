"""Item pipelines: thin adapters that normalise, validate and deduplicate; the logic lives in pure modules."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.extraction.raw import RawArticle
from newscrawl.items import Article
from newscrawl.normalize.article import normalize_article
from newscrawl.normalize.site_offsets import OffsetLearner
from newscrawl.validate import rejection_reason


class _CrawlerPipeline:
    """Keeps the crawler (Scrapy no longer passes the spider to pipeline methods) and counts drops."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)

    def drop(self, reason: str, item: Article | RawArticle) -> DropItem:
        """Every page that does not become a record is counted under its reason, so nothing is lost silently."""
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newscrawl/dropped/{reason}")
        return DropItem(f"{reason}: {item.url}")


class NormalizePipeline(_CrawlerPipeline):
    """RawArticle (what the page says) -> Article (the canonical record), with the site's locale.

    A site without a registered timezone that states its offset on most pages gets that offset on the pages
    where it prints a bare time (learned during the run; pages before the majority is clear stay naive).
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.offsets = OffsetLearner()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, RawArticle):
            return item
        spider = self.crawler.spider
        site = getattr(spider, "spec", None)
        article = normalize_article(item, site=site, site_id=getattr(spider, "site_id", None))
        if site is None or site.timezone is None:
            self.offsets.learn_and_apply(article)
        return article


class ValidatePipeline(_CrawlerPipeline):
    """Drops what is not an article (galleries, index pages, empty pages), each under a counted reason."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.min_words = crawler.settings.getint("NEWSCRAWL_MIN_WORDS", 40)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            reason = rejection_reason(item, min_words=self.min_words)
            if reason:
                raise self.drop(reason, item)
        return item


class DeduplicatePipeline(_CrawlerPipeline):
    """One record per canonical URL per run: the same article reached by two links is exported once."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.seen: set[str] = set()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            if item.canonical_url in self.seen:
                raise self.drop("duplicate", item)
            self.seen.add(item.canonical_url)
        return item
