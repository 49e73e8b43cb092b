"""classify_url: the generic article/listing/other rule on a table of URL styles, and site patterns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscrawl.discovery import classify_url
from newscrawl.sites.spec import SiteSpec

DATA = Path(__file__).resolve().parent / "data"


def url_table() -> list[tuple[str, str, str]]:
    rows = []
    for line in (DATA / "urls.tsv").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            url, kind, why = line.split("\t")
            rows.append((url, kind, why))
    return rows


TABLE = url_table()


def test_the_table_is_broad() -> None:
    kinds = [kind for _, kind, _ in TABLE]
    assert len(TABLE) >= 40
    assert min(kinds.count(kind) for kind in ("article", "listing", "other")) >= 10


@pytest.mark.parametrize(("url", "expected", "why"), TABLE, ids=[why for _, _, why in TABLE])
def test_generic_rule(url: str, expected: str, why: str) -> None:
    assert classify_url(url) == expected


SITE = SiteSpec(
    id="example",
    domains=("example.com",),
    base_url="https://www.example.com",
    article_patterns=(r"^/story/\d+$", r"[?&]articleId=\d+"),
    exclude_patterns=(r"^/story/\d+/gallery", r"^/video/"),
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example.com/story/123", "article"),
        ("https://www.example.com/view?articleId=42", "article"),
        # the generic rule would call these articles; the site's patterns say otherwise
        ("https://www.example.com/2023/03/21/a-dated-page-that-is-not-a-story/", "other"),
        ("https://www.example.com/world/long-slug-that-is-not-a-story-here", "other"),
        ("https://www.example.com/story/123/gallery", "other"),
        ("https://www.example.com/video/a-long-video-page-with-many-words", "other"),
        ("https://www.example.com/world/", "listing"),
        ("https://www.example.com/tag/elections/", "listing"),
        ("https://www.example.com/logo.png", "other"),
    ],
)
def test_site_patterns_decide_articles(url: str, expected: str) -> None:
    assert classify_url(url, SITE) == expected


def test_site_without_article_patterns_uses_the_generic_rule_minus_its_excludes() -> None:
    site = SiteSpec(
        id="s", domains=("example.com",), base_url="https://example.com", exclude_patterns=("/live/",)
    )
    assert classify_url("https://example.com/2024/05/01/election-results-are-in/", site) == "article"
    assert classify_url("https://example.com/live/2024/05/01/election-results-are-in/", site) == "other"


def test_real_article_urls_of_the_evaluation_sets_are_mostly_articles(shared_dir: Path) -> None:
    # Real article URLs from ~300 sites in many languages: a recall check of the generic rule, not a
    # target it was tuned to (it has no site-specific parts).
    manifest = shared_dir / "data" / "fundus" / "_derived" / "manifest.jsonl"
    truth = shared_dir / "data" / "article-extraction-benchmark" / "ground-truth.json"
    urls = [json.loads(line)["url"] for line in manifest.read_text().splitlines() if line.strip()]
    urls += [record["url"] for record in json.loads(truth.read_text()).values()]
    assert len(urls) > 250
    articles = [url for url in urls if classify_url(url) == "article"]
    assert len(articles) / len(urls) >= 0.93
