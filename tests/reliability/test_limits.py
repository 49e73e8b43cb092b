"""Crawls B and D: pages and sitemaps big enough to exhaust memory or time if nothing bounded them."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultsite.server import FaultServer
from faultsite.site import big_sitemap_routes, memory_routes

from reliability.support import run_crawl

pytestmark = pytest.mark.e2e

# A crawl of a small site peaks at about 150-200 MiB (Scrapy, lxml, trafilatura, dateparser). Without the
# size limits this crawl would hold a 50 MB page and a 1 GiB decompressed body.
PEAK_RSS_LIMIT_MIB = 450


def test_a_50_mb_page_and_a_gzip_bomb_leave_memory_bounded(tmp_path: Path) -> None:
    with FaultServer() as site:
        site.routes.update(memory_routes())
        result = run_crawl(
            site.base_url + "/",
            tmp_path,
            {"NEWSCRAWL_ALLOW_PRIVATE_TARGETS": "true", "AUTOTHROTTLE_START_DELAY": 0},
        )
    assert result.returncode == 0
    assert result.stat("newscrawl/dropped/too_large") == 3  # 50 MB declared, 50 MB chunked, the bomb
    assert "after-the-bombs" in result.records_by_marker()
    assert result.peak_rss_mib < PEAK_RSS_LIMIT_MIB, result.peak_rss_mib


def test_a_sitemap_of_50_000_urls_is_read_whole(tmp_path: Path) -> None:
    count = 50_000
    with FaultServer(host="127.0.0.2") as offsite, FaultServer() as site:
        site.routes.update(big_sitemap_routes(site.base_url, offsite.base_url, count))
        result = run_crawl(
            site.base_url + "/",
            tmp_path,
            {"NEWSCRAWL_ALLOW_PRIVATE_TARGETS": "true", "AUTOTHROTTLE_START_DELAY": 0},
        )
    assert result.returncode == 0
    # Every entry read: the last one (entry 50 000) is fetched, the others are off-site and never requested.
    assert "last-entry" in result.records_by_marker()
    assert result.stat("offsite/filtered") == count - 1
    assert offsite.connections == 0
