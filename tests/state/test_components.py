"""The state's Scrapy components on a crawler built by get_crawler: skipping, conditional GETs, versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from newscrawl.hints import EntryHints
from newscrawl.items import Article
from newscrawl.state.extension import ENTRY_META, REVALIDATE_META, CrawlState, Unchanged
from newscrawl.state.middlewares import NotModified, StateDownloaderMiddleware, StateSpiderMiddleware
from newscrawl.state.pipelines import VersionPipeline
from newscrawl.state.store import ArticleVersion, FetchRecord

URL = "http://127.0.0.1:1/news/2024/05/10/a-story.html"


class SiteSpider(Spider):
    name = "site"


@pytest.fixture
def state(tmp_path: Path) -> CrawlState:
    crawler = get_crawler(SiteSpider, {"NEWSCRAWL_STATE_DIR": str(tmp_path), "FEEDS": {}})
    extension = CrawlState(crawler)
    extension.spider_opened(SiteSpider())
    yield extension
    extension.engine_stopped()


def _article(body: str) -> Article:
    article = Article(url=URL, canonical_url=URL, site="site", title="A story", body=body)
    article.content_hash = article.compute_content_hash()
    return article


def _request(modified: str | None = None) -> Request:
    entry = EntryHints(source="sitemap", url=URL, modified=modified) if modified else None
    return Request(URL, meta={ENTRY_META: entry})


def test_pipeline_versions_new_changed_and_unchanged_articles(state: CrawlState) -> None:
    pipeline = VersionPipeline(state, state.crawler)
    first = pipeline.process_item(_article("First text."))
    assert (first.version, first.previous_content_hash) == (1, None)
    state.store.commit_delivery(Path("f"), [ArticleVersion(URL, first.content_hash, 1)], [], 0.0)
    with pytest.raises(Unchanged):
        pipeline.process_item(_article("First text."))
    second = pipeline.process_item(_article("First text, corrected."))
    assert (second.version, second.previous_content_hash) == (2, first.content_hash)


def test_known_article_is_skipped_and_a_changed_one_gets_a_conditional_get(state: CrawlState) -> None:
    state.store.record_fetch(FetchRecord(URL, 1e12, "new", canonical_url=URL, etag='"v1"',
                                         entry_modified="2024-05-10T09:00:00+00:00"))
    middleware = StateSpiderMiddleware(state, state.crawler)
    listing = HtmlResponse("http://127.0.0.1:1/news/", body=b"")
    same_date = _request("2024-05-10T09:00:00+00:00")
    assert list(middleware.process_spider_output(listing, [same_date])) == []
    other = Request("http://127.0.0.1:1/news/")
    later_date = _request("2024-05-11T09:00:00+00:00")
    [changed, passed] = middleware.process_spider_output(listing, [later_date, other])
    assert changed.headers.get("If-None-Match") == b'"v1"'
    assert changed.meta[REVALIDATE_META] == "changed_entry"
    assert passed is other, "requests other than articles pass untouched"


def test_a_304_to_a_revalidation_is_recorded_and_ends_the_request(state: CrawlState) -> None:
    middleware = StateDownloaderMiddleware(state)
    request = _request("2024-05-11T09:00:00+00:00")
    request.meta[REVALIDATE_META] = "changed_entry"
    with pytest.raises(NotModified):
        middleware.process_response(request, Response(URL, status=304, request=request))
    page = state.store.page(URL)
    assert page is not None and page.entry_modified == "2024-05-11T09:00:00+00:00"
    plain = Response(URL, status=304, request=_request())
    assert middleware.process_response(_request(), plain) is plain, "a 304 we did not ask for is not ours"
