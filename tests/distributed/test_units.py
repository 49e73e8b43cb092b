"""The parts of the distributed crawl on a real Redis, without crawling: queue, filter, recovery, add-on."""

from __future__ import annotations

import gc

import pytest
import redis
from scrapy import Request, Spider
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newscrawl.distributed import RedisAddon
from newscrawl.distributed.addon import PIPELINE, SCHEDULER, with_worker_id
from newscrawl.distributed.dupefilter import ExpiringDupeFilter
from newscrawl.distributed.queue import ReliablePriorityQueue
from newscrawl.distributed.state import CrawlState, member_digest


class SiteSpider(Spider):
    name = "news"
    site_id = "example"

    def parse_sitemap(self, response: object) -> None: ...

    def parse_article(self, response: object) -> None: ...


@pytest.fixture
def state(redis_url: str) -> CrawlState:
    return CrawlState(redis.Redis.from_url(redis_url), "example")


def make_queue(state: CrawlState, worker: str) -> ReliablePriorityQueue:
    spider = SiteSpider()
    return ReliablePriorityQueue(state.server, spider, state.keys.queue, state=state, worker=worker)


def backdate(state: CrawlState, key: str, seconds: int) -> None:
    """Makes every member of a time-scored set look ``seconds`` older (instead of waiting)."""
    for member, score in state.server.zrange(key, 0, -1, withscores=True):
        state.server.zadd(key, {member: score - seconds})


def test_a_taken_request_stays_the_workers_until_scrapy_lets_go_of_it(state: CrawlState) -> None:
    queue = make_queue(state, "w1")
    queue.push(Request("http://example.com/a"))
    request = queue.pop()
    assert request is not None and request.url == "http://example.com/a"
    assert state.queued() == 0
    assert state.server.zcard(state.keys.processing("w1")) == 1
    queue.flush_finished()
    assert state.server.zcard(state.keys.processing("w1")) == 1  # still in use
    del request
    gc.collect()
    assert queue.flush_finished() == 1
    assert state.server.zcard(state.keys.processing("w1")) == 0


def test_requests_come_out_by_priority(state: CrawlState) -> None:
    queue = make_queue(state, "w1")
    for url, priority in (("http://example.com/low", 0), ("http://example.com/high", 20),
                          ("http://example.com/mid", 10)):
        queue.push(Request(url, priority=priority))
    taken = [queue.pop(), queue.pop(), queue.pop()]
    assert [request.url for request in taken if request] == [
        "http://example.com/high", "http://example.com/mid", "http://example.com/low"]


def test_a_dead_workers_requests_and_unconfirmed_claims_go_back(state: CrawlState) -> None:
    dead, alive = make_queue(state, "dead"), make_queue(state, "alive")
    dead.push(Request("http://example.com/a", priority=5))
    state.heartbeat("dead")
    state.heartbeat("alive")
    held = dead.pop()
    assert held is not None
    state.seen_or_add(state.keys.exported, member_digest("http://example.com/a"), 3600,
                      claims=state.keys.claims("dead"))
    assert state.release_dead(timeout=60) == (0, 0)  # heartbeats are fresh
    backdate(state, state.keys.workers, 120)
    state.heartbeat("alive")
    assert state.release_dead(timeout=60) == (1, 1)
    again = alive.pop()
    assert again is not None and again.url == "http://example.com/a" and again.priority == 5
    # The claim was never confirmed, so the article may be exported by whoever redoes the request.
    assert not state.seen_or_add(state.keys.exported, member_digest("http://example.com/a"), 3600)


def test_drained_only_when_nothing_is_queued_or_held(state: CrawlState) -> None:
    queue = make_queue(state, "w1")
    state.heartbeat("w1")
    assert state.drained()
    queue.push(Request("http://example.com/a"))
    assert not state.drained()
    request = queue.pop()
    assert not state.drained()
    del request
    gc.collect()
    queue.flush_finished()
    assert state.drained()


@pytest.fixture
def dupefilter(state: CrawlState) -> ExpiringDupeFilter:
    return ExpiringDupeFilter(state, seen_ttl=3600, discovery_ttl=300,
                              discovery_callbacks=["parse_sitemap"])


def test_articles_are_fetched_once_until_their_fingerprint_expires(state: CrawlState,
                                                                   dupefilter: ExpiringDupeFilter) -> None:
    spider = SiteSpider()
    article = Request("http://example.com/news/1.html", callback=spider.parse_article)
    assert not dupefilter.request_seen(article)
    assert dupefilter.request_seen(article.replace())
    backdate(state, state.keys.seen, 3601)
    assert not dupefilter.request_seen(article.replace())
    # Expired fingerprints are removed, so the set does not grow without bound.
    assert state.server.zcard(state.keys.seen) == 1


def test_sitemaps_are_read_again_after_the_short_window_even_when_marked_dont_filter(
        state: CrawlState, dupefilter: ExpiringDupeFilter) -> None:
    spider = SiteSpider()
    sitemap = Request("http://example.com/sitemap.xml", callback=spider.parse_sitemap, dont_filter=True)
    assert not dupefilter.request_seen(sitemap)
    assert dupefilter.request_seen(sitemap.replace())  # an index listing itself cannot loop
    backdate(state, state.keys.discovery_seen, 301)
    assert not dupefilter.request_seen(sitemap.replace())


def test_retries_and_dont_filter_articles_pass(dupefilter: ExpiringDupeFilter) -> None:
    spider = SiteSpider()
    sitemap = Request("http://example.com/sitemap.xml", callback=spider.parse_sitemap)
    assert not dupefilter.request_seen(sitemap)
    assert not dupefilter.request_seen(sitemap.replace(meta={"retry_times": 1}))
    article = Request("http://example.com/a.html", callback=spider.parse_article)
    assert not dupefilter.request_seen(article)
    assert not dupefilter.request_seen(article.replace(dont_filter=True))


def test_the_addon_changes_nothing_without_a_redis_url() -> None:
    settings = Settings({"FEEDS": {"out/site.jsonl": {"format": "jsonlines"}}})
    before = settings.copy_to_dict()
    RedisAddon().update_settings(settings)
    assert settings.copy_to_dict() == before


def test_the_addon_makes_a_worker_with_its_own_files(tmp_path: object) -> None:
    settings = Settings({"NEWSCRAWL_REDIS_URL": "redis://127.0.0.1:1/0", "NEWSCRAWL_WORKER_ID": "host-42",
                         "NEWSCRAWL_OUTPUT_DIR": "out",
                         "FEEDS": {"out/%(site_id)s/%(site_id)s-%(time)s.jsonl": {"format": "jsonlines"},
                                   "s3://bucket/items.jsonl": {"format": "jsonlines"}}})
    RedisAddon().update_settings(settings)
    assert settings["SCHEDULER"] == SCHEDULER
    assert PIPELINE in settings.getdict("ITEM_PIPELINES")
    assert set(settings.getdict("FEEDS")) == {"out/%(site_id)s/%(site_id)s-%(time)s-host-42.jsonl",
                                              "s3://bucket/items.jsonl"}
    assert settings["NEWSCRAWL_STATE_DIR"].endswith("host-42")


@pytest.mark.parametrize(("uri", "expected"), [
    ("out/site-%(time)s.jsonl", "out/site-%(time)s-w1.jsonl"),
    ("out/site-%(time)s-%(batch_id)05d.jsonl", "out/site-%(time)s-%(batch_id)05d-w1.jsonl"),
    ("out/items", "out/items-w1"),
])
def test_feed_names_get_the_worker_id(uri: str, expected: str) -> None:
    assert with_worker_id(uri, "w1") == expected


def test_a_worker_without_redis_fails_to_start_with_a_clear_error() -> None:
    from newscrawl.distributed.scheduler import ReliableScheduler
    from newscrawl.distributed.state import DistributedCrawlError

    crawler = get_crawler(SiteSpider, {"NEWSCRAWL_REDIS_URL": "redis://127.0.0.1:1/0"})
    with pytest.raises(DistributedCrawlError, match="cannot reach Redis"):
        ReliableScheduler.from_crawler(crawler)
