"""Numbers are read right from Scrapy's logs, the kernel and profiles, and land in the right table cells."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks.extract_compare import Extracted, ExtractorResult, Page, measure, score
from benchmarks.measure import CrawlCommand, CrawlResult, RssSample, parse_stats, run_crawls
from benchmarks.profile_crawl import top_from_collapsed
from benchmarks.run import HEADER, crawl_row, extract_row, format_table
from benchmarks.sitegen import ArticleTruth

DATA = Path(__file__).parent / "data"


def test_stats_dump_of_a_real_crawl_log_is_parsed() -> None:
    stats, reason = parse_stats((DATA / "scrapy_crawl.log").read_text())
    assert reason == "finished"
    assert stats["response_received_count"] == 449
    assert stats["item_scraped_count"] == 300
    assert stats["elapsed_time_seconds"] == pytest.approx(5.4737, abs=1e-3)


def test_a_log_without_a_stats_dump_gives_no_stats() -> None:
    assert parse_stats("2026-11-27 [scrapy] INFO: Spider opened\n") == ({}, None)


FAKE_CRAWL = DATA / "fake_crawl.py"


def test_child_memory_is_sampled_against_its_page_count(tmp_path: Path) -> None:
    command = CrawlCommand("fake", [sys.executable, str(FAKE_CRAWL)], tmp_path, {}, tmp_path / "fake.log")
    result = run_crawls([command], timeout_s=60)[0]
    assert result.returncode == 0
    assert (result.pages, result.items) == (9000, 4500)
    assert result.elapsed_s == 1.5
    assert [s.pages for s in result.samples] == [0, 3000, 6000, 9000]
    at_5k = result.rss_at(5000)
    assert at_5k is not None and at_5k > result.samples[0].rss_kib + 8 * 1024
    assert result.rss_at(20_000) is None
    assert result.peak_rss_kib >= result.samples[-1].rss_kib
    assert (tmp_path / "fake.log").read_text().count("Crawled") == 4


def test_a_crawl_that_overruns_is_killed_and_reported(tmp_path: Path) -> None:
    command = CrawlCommand(
        "slow", [sys.executable, str(FAKE_CRAWL), "--hang"], tmp_path, {}, tmp_path / "slow.log"
    )
    result = run_crawls([command], timeout_s=2)[0]
    assert result.returncode != 0 and not result.ok
    assert (result.pages, result.items) == (7, 2)


def _crawl(label: str, pages: int, elapsed: float, cpu: float, rss_mib: int, rc: int = 0) -> CrawlResult:
    return CrawlResult(
        label=label,
        returncode=rc,
        pages=pages,
        items=pages // 2,
        elapsed_s=elapsed,
        cpu_s=cpu,
        peak_rss_kib=rss_mib * 1024,
        samples=[RssSample(5000, 10, 100 * 1024), RssSample(20000, 10, rss_mib * 1024)],
    )


def test_two_crawls_at_once_add_pages_and_cpu_and_keep_the_worst_memory() -> None:
    row = crawl_row(
        "d", "two at once", [_crawl("one", 1000, 10.0, 20.0, 150), _crawl("two", 1000, 8.0, 18.0, 170)]
    )
    assert (row.pages, row.items, row.pages_per_s, row.cpu_ms) == ("2000", "1000", "200", "19.0")
    assert (row.peak_rss, row.rss_at) == ("170", ["100", "170"])


def test_a_failed_crawl_is_named_in_its_row() -> None:
    row = crawl_row("b", "crawl", [_crawl("b-newscrawl", 10, 1.0, 1.0, 90, rc=1)])
    assert "b-newscrawl FAILED (rc=1, 10 pages)" in row.notes


def test_table_has_one_line_per_row_and_all_columns() -> None:
    extraction = ExtractorResult(
        name="peer",
        pages=50,
        median_ms=6.04,
        p90_ms=7.0,
        pages_per_s=150.2,
        cpu_ms_per_page=6.5,
        title_ok=1.0,
        authors_ok=0.5,
        date_ok=1.0,
        body_ok=0.98,
    )
    missing = ExtractorResult(name="gone", available=False, reason="not importable: x")
    table = format_table(
        [
            crawl_row("a", "bare", [_crawl("a", 100, 1.0, 0.5, 100)]),
            extract_row(extraction),
            extract_row(missing),
        ]
    )
    lines = table.splitlines()
    assert len(lines) == 5
    assert all(line.count("|") == len(HEADER) + 1 for line in lines)
    assert "| c peer |" in lines[3] and "| 6.0 | 7.0 |" in lines[3] and "authors 50%" in lines[3]
    assert "n/a: not importable: x" in lines[4]


TRUTH = ArticleTruth(
    path="/a.html",
    title="A Title",
    description="Lead.",
    authors=["Ann Lee", "Bo Yu"],
    published="2024-03-21T10:15:00+01:00",
    modified=None,
    section="World",
    tags=[],
    paragraphs=["First paragraph of the story here.", "An intertitle", "Last words of the story."],
    cover_url="x",
    cover_caption="A caption.",
    cover_credit="Ann/Agency",
    chrome_sentinels=["A caption.", "Sign up to our briefing."],
)


@pytest.mark.parametrize(
    ("body", "title", "authors", "published", "expected"),
    [
        (
            "First paragraph of the story here.\n\nAn intertitle\n\nLast words of the story.",
            "A Title",
            ("Bo Yu", "Ann Lee"),
            "2024-03-21",
            {"title": True, "authors": True, "date": True, "body": True},
        ),
        (
            "A Title\nLead.\nFirst paragraph of the story here. Last words of the story.",
            "A  Title",
            ("Ann Lee",),
            "2024-03-21T10:15:00+01:00",
            {"title": True, "authors": False, "date": True, "body": True},
        ),
        (
            "First paragraph of the story here. A caption. Last words of the story.",
            "Other",
            (),
            None,
            {"title": False, "authors": False, "date": False, "body": False},
        ),
        (
            "First paragraph of the story here.",
            "A Title | Site",
            ("Ann Lee", "Bo Yu"),
            "2024-03-22",
            {"title": False, "authors": True, "date": False, "body": False},
        ),
    ],
)
def test_score_per_field(
    body: str, title: str, authors: tuple[str, ...], published: str | None, expected: dict[str, bool]
) -> None:
    assert score(Extracted(title, body, authors, published), TRUTH) == expected


def test_an_extractor_that_raises_is_counted_not_fatal() -> None:
    pages = [Page("http://127.0.0.1:9/a.html", f"<p>{i}</p>", TRUTH) for i in range(6)]

    def flaky(html: str, url: str) -> Extracted:
        if "3" in html or "5" in html:
            raise RuntimeError("boom")
        return Extracted("A Title", "", (), None)

    result = measure("flaky", flaky, pages)
    assert (result.pages, result.errors) == (6, 2)
    assert result.title_ok == pytest.approx(4 / 6)


def test_profile_top_counts_self_and_cumulative_samples() -> None:
    lines = (DATA / "collapsed_stacks.txt").read_text().splitlines()
    cumulative, own, total = top_from_collapsed(lines, top=3)
    assert total == 100
    assert cumulative[0] == ("main (app.py:1)", 100)
    assert dict(cumulative)["crawl (app.py:10)"] == 95
    assert own == [("extract (extract.py:3)", 50), ("fetch (net.py:2)", 25), ("links (links.py:9)", 20)]
    # A recursive frame counts once per sample.
    assert dict(top_from_collapsed(lines, top=10)[0])["walk (tree.py:4)"] == 5
