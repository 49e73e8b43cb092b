"""Real clusters: several `scrapy crawl news` workers on one Redis crawl of a loopback site."""

from __future__ import annotations

import collections
import os
import signal
import time
from pathlib import Path

import pytest
import redis

from newscrawl.distributed.state import CrawlKeys
from newscrawl.sites.registry import spec_for_url

from .conftest import HANG_LIMIT, Worker, newscrawl, start_worker
from .newssite import NewsSite

pytestmark = pytest.mark.e2e

def crawl_of(site: NewsSite) -> CrawlKeys:
    """The Redis keys of the crawl workers of this site join (named after the site id the spider gives it)."""
    return CrawlKeys(spec_for_url(site.base_url + "/").id)


def wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + HANG_LIMIT
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def start_cluster(redis_url: str, site: NewsSite, out: Path, count: int) -> list[Worker]:
    """Workers started and registered in Redis before anything is seeded, so all of them share the work."""
    workers = [start_worker(redis_url, site.base_url + "/", out, f"w{n}") for n in range(1, count + 1)]
    client = redis.Redis.from_url(redis_url)

    def all_joined() -> bool:
        for worker in workers:
            if worker.process.poll() is not None:
                pytest.fail(f"worker {worker.worker_id} exited early:\n{worker.log.read_text()[-3000:]}")
        return int(client.zcard(crawl_of(site).workers)) == count

    wait_for(all_joined, "the workers to join the crawl")
    return workers


def exported_urls(workers: list[Worker]) -> collections.Counter[str]:
    return collections.Counter(str(record["url"]) for worker in workers for record in worker.records())


def test_three_workers_export_every_article_exactly_once_and_stop_when_told(redis_url: str,
                                                                              tmp_path: Path) -> None:
    with NewsSite(articles=120, delay=0.02) as site:
        workers = start_cluster(redis_url, site, tmp_path, 3)
        newscrawl("seed", "--redis", redis_url, "--url", site.base_url + "/")
        newscrawl("stop", "--redis", redis_url, "--url", site.base_url + "/")
        codes = [worker.wait() for worker in workers]

    assert codes == [0, 0, 0]
    counts = exported_urls(workers)
    assert set(counts) == set(site.article_urls())
    assert [url for url, times in counts.items() if times > 1] == []
    # The work was shared, and each worker wrote its own file.
    assert all(worker.records() for worker in workers)
    client = redis.Redis.from_url(redis_url)
    keys = crawl_of(site)
    assert client.zcard(keys.queue) == 0
    assert client.zcard(keys.workers) == 0
    assert [key for key in client.keys(keys.prefix + "processing:*")] == []


def test_worker_killed_mid_crawl_loses_no_article_and_duplicates_none(redis_url: str, tmp_path: Path) -> None:
    with NewsSite(articles=150, delay=0.05) as site:
        victim, *survivors = start_cluster(redis_url, site, tmp_path, 3)
        newscrawl("seed", "--redis", redis_url, "--url", site.base_url + "/")
        wait_for(lambda: site.article_hits() >= 40, "the crawl to be under way")
        os.kill(victim.process.pid, signal.SIGKILL)
        victim.wait()
        held = redis.Redis.from_url(redis_url).zcard(crawl_of(site).processing(victim.worker_id))
        newscrawl("stop", "--redis", redis_url, "--url", site.base_url + "/")
        codes = [worker.wait() for worker in survivors]

    # The kill hit work in progress (else this test would prove nothing), and the survivors took it over.
    assert held > 0
    assert codes == [0, 0]
    assert any("dead worker" in worker.log.read_text() for worker in survivors)
    counts = exported_urls([victim, *survivors])
    assert set(counts) == set(site.article_urls())
    assert [url for url, times in counts.items() if times > 1] == []


def test_idle_workers_wait_for_seeds_and_stop_when_told(redis_url: str, tmp_path: Path) -> None:
    with NewsSite(articles=3) as site:
        workers = start_cluster(redis_url, site, tmp_path, 2)
        # No seeds yet: idle workers stay in the cluster instead of finishing.
        assert all(worker.process.poll() is None for worker in workers)
        newscrawl("seed", "--redis", redis_url, "--url", site.base_url + "/")
        client = redis.Redis.from_url(redis_url)
        wait_for(lambda: client.zcard(crawl_of(site).exported) == 3, "the seeded articles")
        # Done with the seeds, the workers still wait for more until told to stop.
        assert all(worker.process.poll() is None for worker in workers)
        newscrawl("stop", "--redis", redis_url, "--url", site.base_url + "/")
        assert [worker.wait() for worker in workers] == [0, 0]
    assert sorted(exported_urls(workers).elements()) == sorted(site.article_urls())
