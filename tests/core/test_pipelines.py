"""The pipelines as a crawl runs them: RawArticle in, Article out; drops counted under their reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newscrawl.extraction.raw import Candidate, RawArticle
from newscrawl.items import Article
from newscrawl.pipelines import DeduplicatePipeline, NormalizePipeline, ValidatePipeline
from newscrawl.spiders.news import NewsSpider

BODY = ["A paragraph of the article with enough words to count as real news text for the validator here."] * 6


def _raw(url: str = "https://news.example.com/2023/03/21/story.html?utm_source=x", *, body: list[str] = BODY,
         canonical: str | None = None) -> RawArticle:
    return RawArticle(
        url=url,
        fetched_at=datetime(2023, 3, 21, 12, 0, tzinfo=UTC),
        html_lang="en-GB",
        canonical=[Candidate(canonical, "dom")] if canonical else [],
        title=[Candidate("Story headline | Example News", "opengraph")],
        site_name=[Candidate("Example News", "opengraph")],
        published=[Candidate("2023-03-21T10:15:00+05:30", "jsonld")],
        body=list(body),
    )


@pytest.fixture
def crawler():  # type: ignore[no-untyped-def]
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_MIN_WORDS": 40})
    crawler.spider = crawler._create_spider(url="https://news.example.com/")
    crawler.stats.open_spider()
    return crawler


def test_normalize_turns_a_raw_article_into_the_exported_record(crawler) -> None:  # type: ignore[no-untyped-def]
    article = NormalizePipeline.from_crawler(crawler).process_item(_raw())
    assert isinstance(article, Article)
    assert article.title == "Story headline"
    assert article.published_at == "2023-03-21T10:15:00+05:30"
    assert article.language == "en"
    assert article.canonical_url == "https://news.example.com/2023/03/21/story.html"
    assert article.content_hash.startswith("sha256:")


def test_validate_drops_non_articles_and_counts_the_reason(crawler) -> None:  # type: ignore[no-untyped-def]
    article = NormalizePipeline.from_crawler(crawler).process_item(_raw(body=["Photo one.", "Photo two."]))
    with pytest.raises(DropItem, match="too_short"):
        ValidatePipeline.from_crawler(crawler).process_item(article)
    assert crawler.stats.get_value("newscrawl/dropped/too_short") == 1


def test_the_same_article_reached_twice_is_exported_once(crawler) -> None:  # type: ignore[no-untyped-def]
    normalize = NormalizePipeline.from_crawler(crawler)
    dedupe = DeduplicatePipeline.from_crawler(crawler)
    first = normalize.process_item(_raw("https://news.example.com/2023/03/21/story.html"))
    again = normalize.process_item(_raw("https://news.example.com/2023/03/21/story.html?utm_medium=email&fbclid=1"))
    assert dedupe.process_item(first) is first
    with pytest.raises(DropItem, match="duplicate"):
        dedupe.process_item(again)
    assert crawler.stats.get_value("newscrawl/dropped/duplicate") == 1


def test_items_that_are_not_articles_pass_through_untouched(crawler) -> None:  # type: ignore[no-untyped-def]
    other = {"kind": "something else"}
    for pipeline in (NormalizePipeline, ValidatePipeline, DeduplicatePipeline):
        assert pipeline.from_crawler(crawler).process_item(other) is other


def test_a_site_offset_learned_from_its_pages_is_given_to_its_naive_times(crawler) -> None:  # type: ignore[no-untyped-def]
    normalize = NormalizePipeline.from_crawler(crawler)
    for day in (18, 19, 20):
        raw = _raw(f"https://news.example.com/2023/03/{day}/story.html")
        raw.published = [Candidate(f"2023-03-{day}T10:15:00+05:30", "jsonld")]
        normalize.process_item(raw)
    naive = _raw("https://news.example.com/2023/03/21/other.html")
    naive.published = [Candidate("2023-03-21T08:00:00", "meta")]
    article = normalize.process_item(naive)
    assert article.published_at == "2023-03-21T08:00:00+05:30"
    assert article.provenance["published_at.timezone"] == "learned"
