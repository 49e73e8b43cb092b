"""Seeds, stop requests and status of a distributed crawl: what `newscrawl seed|stop|status` do."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.project import get_project_settings

from newscrawl.distributed.scheduler import crawl_id, request_serializer
from newscrawl.distributed.state import CrawlState, DistributedCrawlError, connect

if TYPE_CHECKING:
    from newscrawl.spiders.news import NewsSpider


@dataclass(frozen=True)
class Seed:
    """One start point, as a worker would be given it: a registered site or any URL (home, sitemap, feed)."""

    site: str | None = None
    url: str | None = None
    base_url: str | None = None

    def __post_init__(self) -> None:
        if bool(self.site) == bool(self.url):
            raise DistributedCrawlError("a seed is exactly one of a site id or a URL")


def seeds_from(sites: Iterable[str] = (), urls: Iterable[str] = (),
               base_url: str | None = None) -> list[Seed]:
    return [Seed(site=site, base_url=base_url) for site in sites] + [Seed(url=url) for url in urls]


def spider_for(seed: Seed, settings: BaseSettings | None = None) -> NewsSpider:
    """The news spider a worker for this seed runs: it knows the site's rules and makes the seed requests."""
    from newscrawl.spiders.news import NewsSpider

    crawler = Crawler(NewsSpider, Settings(settings) if settings is not None else get_project_settings())
    try:
        spider: NewsSpider = NewsSpider.from_crawler(crawler, site=seed.site, url=seed.url,
                                                     base_url=seed.base_url)
    except (KeyError, ValueError) as error:
        raise DistributedCrawlError(f"bad seed {seed}: {error}") from error
    return spider


def seed_requests(spider: NewsSpider) -> Iterator[Request]:
    """The spider's own start requests, always fetched: seeding again is how a cluster finds new articles."""
    for request in spider._seed_requests():
        yield request.replace(dont_filter=True)


def push_seeds(redis_url: str, seeds: Sequence[Seed], settings: BaseSettings | None = None,
               *, fresh: bool = False) -> dict[str, int]:
    """Pushes each seed's start requests onto its site's crawl queue; returns requests pushed per crawl.

    With ``fresh``, each crawl's queue, fingerprints and exported-article marks are deleted first, so the
    crawl starts over (workers must not be running).
    """
    settings = settings if settings is not None else get_project_settings()
    serializer = request_serializer(settings)
    server = connect(redis_url)
    pushed: dict[str, int] = {}
    cleared: set[str] = set()
    for seed in seeds:
        spider = spider_for(seed, settings)
        state = CrawlState(server, crawl_id(spider))
        if fresh and state.keys.crawl not in cleared:
            state.reset()
            cleared.add(state.keys.crawl)
        count = 0
        for request in seed_requests(spider):
            state.push(serializer.dumps(request.to_dict(spider=spider)), request.priority)
            count += 1
        pushed[state.keys.crawl] = pushed.get(state.keys.crawl, 0) + count
    return pushed


def crawl_ids(seeds: Sequence[Seed], settings: BaseSettings | None = None) -> list[str]:
    settings = settings if settings is not None else get_project_settings()
    return list(dict.fromkeys(crawl_id(spider_for(seed, settings)) for seed in seeds))


def request_stop(redis_url: str, crawls: Iterable[str]) -> None:
    """Workers of these crawls running now close once nothing is queued or held (later ones don't)."""
    server = connect(redis_url)
    for crawl in crawls:
        CrawlState(server, crawl).request_stop()


def crawl_status(redis_url: str, crawls: Iterable[str]) -> list[dict[str, Any]]:
    server = connect(redis_url)
    return [CrawlState(server, crawl).status() for crawl in crawls]
