"""No single page can stall the crawl: extraction runs under a per-page budget; a page over it is counted."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newscrawl.budget import BudgetExceeded, time_limit
from newscrawl.demo.server import DemoServer
from reliability.support import run_crawl


def test_work_over_its_budget_is_interrupted() -> None:
    started = time.monotonic()
    with pytest.raises(BudgetExceeded), time_limit(0.05):
        while True:  # pure-Python work that would never end by itself
            sum(range(1000))
    assert time.monotonic() - started < 5


def test_work_within_its_budget_is_untouched_and_the_timer_is_cleared() -> None:
    with time_limit(5):
        total = sum(range(1000))
    assert total == 499500
    time.sleep(0.01)  # a timer left armed would fire here


def test_a_zero_budget_means_no_limit() -> None:
    with time_limit(0):
        time.sleep(0.01)


def test_pages_over_the_extraction_budget_are_skipped_and_counted_and_the_crawl_finishes(tmp_path: Path) -> None:
    with DemoServer(port=0) as server:
        result = run_crawl(f"{server.base_url}/", tmp_path, {
            "NEWSCRAWL_ALLOW_PRIVATE_TARGETS": "true",
            "AUTOTHROTTLE_ENABLED": "false",
            # Far below what any page's extraction takes.
            "NEWSCRAWL_EXTRACTION_TIMEOUT": "0.0001",
        })
    assert result.returncode == 0, result.log[-3000:]
    assert result.stats.get("finish_reason") == "finished"
    over_budget = result.stat("newscrawl/dropped/extraction_timeout")
    # The timer interrupts Python code; a page whose remaining work is one C call (an lxml parse) can finish
    # before the interrupt is handled. Most pages are stopped, and every article page is accounted for.
    assert over_budget >= 5
    assert over_budget + len(result.records) >= 9


def test_sitemaps_feeds_and_listings_over_their_budget_are_skipped_and_counted(tmp_path: Path) -> None:
    with DemoServer(port=0) as server:
        result = run_crawl(f"{server.base_url}/", tmp_path, {
            "NEWSCRAWL_ALLOW_PRIVATE_TARGETS": "true",
            "AUTOTHROTTLE_ENABLED": "false",
            "NEWSCRAWL_DISCOVERY_TIMEOUT": "0.0001",
        })
    assert result.returncode == 0, result.log[-3000:]
    assert result.stats.get("finish_reason") == "finished"
    assert result.stat("newscrawl/dropped/listing_timeout") >= 1
    assert result.stat("newscrawl/dropped/sitemap_timeout") >= 1
