"""Crawl C: robots.txt rules and Crawl-delay, Retry-After, and an honest User-Agent, seen from the server."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from faultsite.server import FaultServer
from faultsite.site import A, politeness_routes
from scrapy.utils.test import get_crawler

from newscrawl import settings as project_settings
from newscrawl.spiders.news import NewsSpider
from reliability.support import CrawlResult, run_crawl

pytestmark = pytest.mark.e2e
CRAWL_DELAY = 1.0
CONTACT = "https://example.org/who-crawls"


@pytest.fixture(scope="module")
def polite_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CrawlResult, FaultServer]]:
    with FaultServer() as site:
        site.routes.update(politeness_routes(CRAWL_DELAY))
        result = run_crawl(
            site.base_url + "/",
            Path(tmp_path_factory.mktemp("polite")),
            {
                "NEWSCRAWL_ALLOW_PRIVATE_TARGETS": "true",
                "NEWSCRAWL_CONTACT_URL": CONTACT,
            },
        )
        yield result, site


def test_robots_txt_disallow_is_obeyed(polite_crawl: tuple[CrawlResult, FaultServer]) -> None:
    result, site = polite_crawl
    assert not site.hits_for(f"/private{A}secret.html")
    assert result.stat("robotstxt/forbidden") >= 1


def test_crawl_delay_spaces_every_request(polite_crawl: tuple[CrawlResult, FaultServer]) -> None:
    result, site = polite_crawl
    assert {"one", "two", "busy"} <= result.records_by_marker().keys()
    times = [hit.at for hit in site.hits]
    # The first robots.txt fetch is what tells the crawler about the delay; every request after it waits.
    spacing = [later - earlier for earlier, later in pairwise(times)]
    assert len(spacing) >= 5
    assert min(spacing) >= CRAWL_DELAY * 0.95, spacing
    assert site.max_in_flight == 1


def test_retry_after_is_honoured_on_top_of_the_crawl_delay(
    polite_crawl: tuple[CrawlResult, FaultServer],
) -> None:
    _, site = polite_crawl
    first, second = (hit.at for hit in site.hits_for(f"{A}busy.html"))
    assert second - first >= 1.95  # Retry-After: 2


def test_the_user_agent_names_newscrawl_and_its_contact(
    polite_crawl: tuple[CrawlResult, FaultServer],
) -> None:
    _, site = polite_crawl
    agents = {hit.headers.get("user-agent", "") for hit in site.hits}
    assert len(agents) == 1
    (agent,) = agents
    assert agent.startswith("newscrawl/") and CONTACT in agent


def test_politeness_is_on_by_default() -> None:
    crawler = get_crawler(
        NewsSpider,
        settings_dict={k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()},
    )
    settings = crawler.settings
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert 1 <= settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 8
    assert not settings.getbool("NEWSCRAWL_ALLOW_PRIVATE_TARGETS")
    assert settings.getint("DOWNLOAD_MAXSIZE") <= 64 * 1024 * 1024
    assert settings.getint("DOWNLOAD_TIMEOUT") <= 60
