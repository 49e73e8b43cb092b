"""`newscrawl seed`: a site's start points queued once in Redis, for workers to consume."""

from __future__ import annotations

import pickle

import redis

from newscrawl.cli import main
from newscrawl.distributed.state import CrawlKeys


def test_seeding_a_registered_site_queues_its_start_points_always_to_be_fetched(redis_url: str) -> None:
    assert main(["seed", "--redis", redis_url, "--site", "demo", "--base-url", "http://127.0.0.1:9"]) == 0
    queued = redis.Redis.from_url(redis_url).zrange(CrawlKeys("demo").queue, 0, -1)
    requests = [pickle.loads(data) for data in queued]
    assert requests, "nothing was queued"
    assert all(request["url"].startswith("http://127.0.0.1:9/") for request in requests)
    # Seeds bypass the duplicate filter: seeding again is how a running cluster looks for new articles.
    assert all(request["dont_filter"] for request in requests)
    assert {request["callback"] for request in requests} >= {"parse_robots"}


def test_seeding_twice_queues_the_same_start_points_once(redis_url: str) -> None:
    arguments = ["seed", "--redis", redis_url, "--url", "http://127.0.0.1:9/"]
    assert main(arguments) == 0
    assert main(arguments) == 0
    client = redis.Redis.from_url(redis_url)
    crawls = {key.decode().split(":")[1] for key in client.keys("newscrawl:*:requests")}
    assert len(crawls) == 1
    assert client.zcard(f"newscrawl:{crawls.pop()}:requests") == 2  # robots.txt and the home page


def test_an_unknown_site_is_refused_with_a_message(redis_url: str, capsys: object) -> None:
    assert main(["seed", "--redis", redis_url, "--site", "no-such-site"]) == 2


def test_an_unreachable_redis_is_refused_with_a_message() -> None:
    assert main(["seed", "--redis", "redis://127.0.0.1:1/0", "--url", "http://127.0.0.1:9/"]) == 2
