"""Crawl A: the fault site's HTTP, content and XML faults: survived, saved where possible, else counted."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from faultsite.server import FaultServer
from faultsite.site import A

from reliability.support import CrawlResult

pytestmark = pytest.mark.e2e
Crawl = tuple[CrawlResult, FaultServer, FaultServer]


def gaps(server: FaultServer, path: str) -> list[float]:
    times = [hit.at for hit in server.hits_for(path)]
    return [later - earlier for earlier, later in pairwise(times)]


def test_the_crawl_finishes_without_a_crash(fault_crawl: Crawl) -> None:
    result, _, _ = fault_crawl
    assert result.returncode == 0, result.log[-3000:]
    assert result.stats["finish_reason"] == "finished"
    assert "Traceback" not in result.log
    assert result.stat("spider_exceptions/count") == 0


def test_server_errors_are_retried_with_growing_backoff_then_saved(fault_crawl: Crawl) -> None:
    result, site, _ = fault_crawl
    assert {"flaky-503", "flaky-500"} <= result.records_by_marker().keys()
    first, second = gaps(site, f"{A}flaky-503.html")
    # NEWSCRAWL_BACKOFF_BASE is 0.2 s in these tests: 0.2 s, then 0.4 s.
    assert first >= 0.19 and second >= 0.39


def test_429_waits_for_retry_after(fault_crawl: Crawl) -> None:
    result, site, _ = fault_crawl
    assert "rate-limited" in result.records_by_marker()
    (gap,) = gaps(site, f"{A}rate-limited.html")
    assert gap >= 0.95  # Retry-After: 1
    assert result.stat("newscrawl/politeness/retry_after_honoured") >= 1


@pytest.mark.parametrize(("slug", "status"), [("missing", 404), ("gone", 410)])
def test_404_and_410_are_not_retried_and_are_counted(fault_crawl: Crawl, slug: str, status: int) -> None:
    result, site, _ = fault_crawl
    assert len(site.hits_for(f"{A}{slug}.html")) == 1
    assert result.stat(f"newscrawl/dropped/http_{status}") >= 1


def test_a_page_that_always_fails_is_tried_three_times_then_counted(fault_crawl: Crawl) -> None:
    result, site, _ = fault_crawl
    assert len(site.hits_for(f"{A}always-500.html")) == 3
    assert result.stat("newscrawl/dropped/http_500") == 1


def test_redirect_chains_are_followed_and_loops_cut(fault_crawl: Crawl) -> None:
    result, site, _ = fault_crawl
    record = result.records_by_marker()["final-destination"]
    assert record["url"].endswith(f"{A}final-destination.html")
    assert len(site.hits_for(f"{A}loop-a.html")) == 1
    assert len(site.hits_for(f"{A}loop-b.html")) == 1


def test_a_page_slower_than_the_timeout_is_given_up_and_counted(fault_crawl: Crawl) -> None:
    result, site, _ = fault_crawl
    assert len(site.hits_for(f"{A}slow.html")) == 3
    assert result.stat("newscrawl/dropped/timeout") == 1


def test_truncated_bodies_make_no_record_but_their_links_are_followed(fault_crawl: Crawl) -> None:
    result, _, _ = fault_crawl
    markers = result.records_by_marker()
    assert "truncated" not in markers and "reset" not in markers
    # the reset article and the truncated article; the truncated listing makes no record to drop
    assert result.stat("newscrawl/dropped/truncated_article") == 2
    assert "linked-from-truncated" in markers


def test_a_gzip_bomb_is_stopped_at_the_size_limit(fault_crawl: Crawl) -> None:
    result, _, _ = fault_crawl
    assert result.stat("newscrawl/dropped/too_large") == 1
    assert "gzip-bomb" not in result.records_by_marker()


def test_binary_served_as_html_makes_no_record(fault_crawl: Crawl) -> None:
    result, _, _ = fault_crawl
    assert "binary" not in result.records_by_marker()


@pytest.mark.parametrize(
    ("slug", "words"),
    [
        ("cyrillic", "Городской совет"),
        ("japanese", "市議会"),
        ("latin1-utf8-meta", "Le café de la Mairie"),
        ("utf8-latin1-header", "Le café de la Mairie"),
    ],
)
def test_wrong_or_missing_charsets_are_decoded_right(fault_crawl: Crawl, slug: str, words: str) -> None:
    result, _, _ = fault_crawl
    body = result.records_by_marker()[slug]["body"]
    assert words in body
    assert "\ufffd" not in body


def test_malformed_html_is_still_extracted(fault_crawl: Crawl) -> None:
    result, _, _ = fault_crawl
    assert "council met on Tuesday" in result.records_by_marker()["malformed"]["body"]


def test_200_000_nested_elements_are_dropped_before_parsing(fault_crawl: Crawl) -> None:
    result, _, _ = fault_crawl
    assert result.stat("newscrawl/dropped/too_deep") == 1


@pytest.mark.parametrize("slug", ["invalid-jsonld", "huge-jsonld"])
def test_invalid_or_huge_json_ld_falls_back_to_the_page(fault_crawl: Crawl, slug: str) -> None:
    result, _, _ = fault_crawl
    assert result.records_by_marker()[slug]["title"]


def test_impossible_dates_become_null_not_garbage(fault_crawl: Crawl) -> None:
    result, _, _ = fault_crawl
    record = result.records_by_marker()["impossible-dates"]
    for key in ("published_at", "modified_at"):
        value = record[key]
        assert value is None or re.match(r"(19|20)\d\d-\d\d-\d\d", value), (key, value)


def test_a_page_with_10_000_links_is_handled(fault_crawl: Crawl) -> None:
    result, _, offsite = fault_crawl
    assert result.stat("offsite/filtered") >= 5000
    assert not offsite.hits


def test_the_crawl_stays_on_its_site(fault_crawl: Crawl) -> None:
    _, _, offsite = fault_crawl
    assert offsite.connections == 0  # neither the off-site link nor the off-site redirect


def test_xml_entities_are_never_expanded_nor_fetched(fault_crawl: Crawl) -> None:
    result, site, _ = fault_crawl
    assert not [hit.path for hit in site.hits if "canary" in hit.path]
    assert not [hit.path for hit in site.hits if "lollol" in hit.path]
    text = repr(result.records) + result.log
    assert "root:x:" not in text
    assert {"after-xxe", "from-feed"} <= result.records_by_marker().keys()


def test_a_billion_laughs_sitemap_keeps_its_other_entries(fault_crawl: Crawl) -> None:
    result, _, _ = fault_crawl
    assert "after-laughs" in result.records_by_marker()


def test_a_sitemap_index_that_lists_itself_is_read_once(fault_crawl: Crawl) -> None:
    result, site, _ = fault_crawl
    assert len(site.hits_for("/sitemap-self.xml")) == 1
    assert result.stat("newscrawl/discovery/sitemap_loops") >= 1


def test_a_malformed_sitemap_gives_up_its_readable_entries(fault_crawl: Crawl) -> None:
    result, _, _ = fault_crawl
    assert "from-malformed" in result.records_by_marker()


def test_robots_txt_is_obeyed(fault_crawl: Crawl) -> None:
    result, site, _ = fault_crawl
    assert not site.hits_for(f"/private{A}secret.html")
    assert result.stat("robotstxt/forbidden") >= 1


def test_no_more_than_the_per_domain_concurrency_reaches_the_site(fault_crawl: Crawl) -> None:
    _, site, _ = fault_crawl
    assert 1 <= site.max_in_flight <= 4


# Every fault page ends as a record or under a counted reason: nothing is lost without a number.
FATE = {
    "flaky-503": "record",
    "flaky-500": "record",
    "rate-limited": "record",
    "final-destination": "record",
    "cyrillic": "record",
    "japanese": "record",
    "latin1-utf8-meta": "record",
    "malformed": "record",
    "invalid-jsonld": "record",
    "huge-jsonld": "record",
    "impossible-dates": "record",
    "tarpit": "record",
    "missing": "newscrawl/dropped/http_404",
    "gone": "newscrawl/dropped/http_410",
    "always-500": "newscrawl/dropped/http_500",
    "slow": "newscrawl/dropped/timeout",
    "reset": "newscrawl/dropped/truncated_article",
    "truncated": "newscrawl/dropped/truncated_article",
    "gzip-bomb": "newscrawl/dropped/too_large",
    "deep-nesting": "newscrawl/dropped/too_deep",
    "binary": "newscrawl/dropped/no_title",
    "redirect-offsite": "offsite/filtered",
}


@pytest.mark.parametrize(("slug", "fate"), FATE.items())
def test_every_page_is_saved_or_counted(fault_crawl: Crawl, slug: str, fate: str) -> None:
    result, _, _ = fault_crawl
    if fate == "record":
        assert slug in result.records_by_marker()
    else:
        assert slug not in result.records_by_marker()
        assert result.stat(fate) >= 1, f"{slug}: {fate} not counted"
