"""The spider's discovery callbacks: what a sitemap or feed yields, and unreadable ones counted, not raised."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.http import Request, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.spiders.news import NewsSpider

DISCOVERY_DATA = Path(__file__).resolve().parent.parent / "discovery" / "data"
SITE = "https://news.example.com/"


@pytest.fixture
def crawler() -> Crawler:
    crawler = get_crawler(NewsSpider, {"ROBOTSTXT_OBEY": False})
    crawler.spider = crawler._create_spider(url=SITE)
    assert crawler.stats is not None
    crawler.stats.open_spider()
    return crawler


def _spider(crawler: Crawler) -> NewsSpider:
    assert isinstance(crawler.spider, NewsSpider)
    return crawler.spider


def _stat(crawler: Crawler, key: str) -> object:
    assert crawler.stats is not None
    return crawler.stats.get_value(key)


@pytest.mark.parametrize(
    ("callback", "stat"),
    [("parse_sitemap", "newscrawl/discovery/sitemap_errors"), ("parse_feed", "newscrawl/discovery/feed_errors")],
)
def test_an_unreadable_sitemap_or_feed_is_counted_and_yields_nothing(
    crawler: Crawler, callback: str, stat: str
) -> None:
    response = TextResponse(f"{SITE}broken.xml", body=b"   ", encoding="utf-8")
    assert list(getattr(_spider(crawler), callback)(response)) == []
    assert _stat(crawler, stat) == 1


def test_a_news_sitemap_yields_one_article_request_per_entry_with_its_hints(crawler: Crawler) -> None:
    body = (DISCOVERY_DATA / "news_sitemap.xml").read_bytes()
    requests = list(_spider(crawler).parse_sitemap(XmlResponse(f"{SITE}news-sitemap.xml", body=body)))
    assert requests and all(isinstance(request, Request) for request in requests)
    assert all(request.meta["newscrawl_entry"].source == "sitemap" for request in requests)
    assert _stat(crawler, "newscrawl/discovery/sitemaps") == 1


def test_a_feed_yields_one_article_request_per_item_with_its_hints(crawler: Crawler) -> None:
    body = (DISCOVERY_DATA / "wordpress_rss2.xml").read_bytes()
    requests = list(_spider(crawler).parse_feed(XmlResponse(f"{SITE}feed/", body=body)))
    assert requests and all(request.meta["newscrawl_entry"].source == "feed" for request in requests)
    assert _stat(crawler, "newscrawl/discovery/feeds") == 1


def test_log_lines_name_the_site(crawler: Crawler, caplog: pytest.LogCaptureFixture) -> None:
    # `scrapy crawlsites` runs many sites in one process: each line must say which site it is about.
    response = TextResponse(f"{SITE}broken.xml", body=b"   ", encoding="utf-8")
    with caplog.at_level("WARNING"):
        list(_spider(crawler).parse_sitemap(response))
    assert [record.name for record in caplog.records] == ["news.example.com"]
