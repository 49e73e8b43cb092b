"""Shared fixtures: the fault site crawled once per module, so each test asserts on one finished crawl."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from faultsite.server import FaultServer
from faultsite.site import fault_routes

from reliability.support import CrawlResult, run_crawl

# Small limits keep the whole folder fast; the behaviour under test does not depend on their size.
FAST = {
    "NEWSCRAWL_ALLOW_PRIVATE_TARGETS": "true",
    "DOWNLOAD_TIMEOUT": 2,
    "NEWSCRAWL_BACKOFF_BASE": 0.2,
    "AUTOTHROTTLE_START_DELAY": 0,
    "REDIRECT_MAX_TIMES": 5,
}


@pytest.fixture(scope="session")
def fault_crawl(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[CrawlResult, FaultServer, FaultServer]]:
    """Crawl A: the fault site on 127.0.0.1, an off-site server on 127.0.0.2 that must see no request."""
    with FaultServer(host="127.0.0.2") as offsite, FaultServer() as site:
        site.routes.update(fault_routes(site.base_url, offsite.base_url))
        result = run_crawl(site.base_url + "/", Path(tmp_path_factory.mktemp("faults")), FAST)
        yield result, site, offsite
