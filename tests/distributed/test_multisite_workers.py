"""One worker process, many sites: `scrapy crawlsites` processes as workers of several Redis crawls at once."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
import redis

from newscrawl.demo.server import DemoServer
from newscrawl.distributed.state import CrawlKeys

from .conftest import Worker, newscrawl, start_multisite_worker
from .newssite import NewsSite
from .test_cluster import wait_for

pytestmark = pytest.mark.e2e


def test_two_processes_share_two_sites_and_export_each_article_once(redis_url: str, tmp_path: Path) -> None:
    # Two distinct sites on 127.0.0.1: one named by its address, the demo site named "localhost".
    with NewsSite(articles=60, delay=0.02) as news, DemoServer(host_name="localhost") as demo:
        urls = [news.base_url + "/", demo.base_url + "/"]
        workers = [start_multisite_worker(redis_url, urls, tmp_path, f"w{n}") for n in (1, 2)]
        client = redis.Redis.from_url(redis_url)
        crawls = [CrawlKeys("127.0.0.1"), CrawlKeys("localhost")]

        def all_joined() -> bool:
            for worker in workers:
                if worker.process.poll() is not None:
                    pytest.fail(f"worker {worker.worker_id} exited early:\n{worker.log.read_text()[-3000:]}")
            return all(int(client.zcard(crawl.workers)) == len(workers) for crawl in crawls)

        wait_for(all_joined, "both processes to join both crawls")
        target_args = [arg for url in urls for arg in ("--url", url)]
        newscrawl("seed", "--redis", redis_url, *target_args)
        newscrawl("stop", "--redis", redis_url, *target_args)
        codes = [worker.wait() for worker in workers]

    assert codes == [0, 0], [worker.log.read_text()[-3000:] for worker in workers]
    by_site = _exported(workers)
    assert set(by_site["127.0.0.1"]) == set(news.article_urls())
    assert len(by_site["localhost"]) == 9
    duplicates = [url for counts in by_site.values() for url, times in counts.items() if times > 1]
    assert duplicates == []
    for crawl in crawls:
        assert client.zcard(crawl.queue) == 0
        assert client.zcard(crawl.workers) == 0


def _exported(workers: list[Worker]) -> dict[str, collections.Counter[str]]:
    by_site: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for worker in workers:
        for record in worker.records():
            by_site[str(record["site"])][str(record["url"])] += 1
    return by_site
