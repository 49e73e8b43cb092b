"""The generated site is deterministic, realistic where a crawler looks, and fully reachable."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from benchmarks import sitegen
from benchmarks.sitegen import (
    PLACEHOLDER_ORIGIN,
    SiteManifest,
    SiteParams,
    ensure_site,
    generate_site,
    load_truth,
)

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": "http://search.yahoo.com/mrss/",
}
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
ARTICLES = 40


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site") / "news"
    generate_site(root, SiteParams(articles=ARTICLES, seed=7))
    return root


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != sitegen.MANIFEST_NAME):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _article_files(root: Path) -> list[Path]:
    return [root / t.path.lstrip("/") for t in load_truth(root)]


def test_same_seed_same_bytes_other_seed_other_site(site: Path, tmp_path: Path) -> None:
    generate_site(tmp_path / "again", SiteParams(articles=ARTICLES, seed=7))
    generate_site(tmp_path / "other", SiteParams(articles=ARTICLES, seed=8))
    assert _digest(tmp_path / "again") == _digest(site)
    assert _digest(tmp_path / "other") != _digest(site)


def test_article_pages_weigh_like_real_news_pages(site: Path) -> None:
    sizes = [p.stat().st_size for p in _article_files(site)]
    assert len(sizes) == ARTICLES
    assert all(60_000 <= size <= 100_000 for size in sizes), (min(sizes), max(sizes))
    assert len(set(sizes)) > ARTICLES // 2, "pages should differ in length"


def test_article_page_carries_structured_data_and_chrome(site: Path) -> None:
    truth = load_truth(site)[3]
    tree = LexborHTMLParser((site / truth.path.lstrip("/")).read_text(encoding="utf-8"))
    assert 140 <= len(tree.css("nav.primary a")) <= 160
    assert tree.css_first("#cookie-banner") is not None
    assert len(tree.css("script:not([type])")) >= 2 and tree.css_first("style") is not None
    jsonld = [json.loads(n.text()) for n in tree.css('script[type="application/ld+json"]')]
    article = next(d for d in jsonld if d["@type"] == "NewsArticle")
    assert article["headline"] == truth.title
    assert [a["name"] for a in article["author"]] == truth.authors
    assert ISO_WITH_OFFSET.match(article["datePublished"]) and article["datePublished"] == truth.published
    assert article["image"]["caption"] == truth.cover_caption
    assert article["image"]["creditText"] == truth.cover_credit
    metas = {n.attributes.get("property"): n.attributes.get("content") for n in tree.css("meta[property]")}
    assert metas["og:title"] == truth.title and metas["og:url"] == PLACEHOLDER_ORIGIN + truth.path
    cover_img, cover_credit = tree.css_first("figure.cover img"), tree.css_first("figure.cover .credit")
    assert cover_img is not None and cover_credit is not None
    assert "1600w" in (cover_img.attributes.get("srcset") or "")
    assert cover_credit.text() == f"Photo: {truth.cover_credit}"
    assert [h1.text() for h1 in tree.css("h1")] == [truth.title]


def test_body_paragraphs_vary_and_come_from_a_vocabulary(site: Path) -> None:
    truths = load_truth(site)
    first_paragraphs = {t.paragraphs[0] for t in truths}
    assert len(first_paragraphs) == len(truths)
    words = {w.strip(".,").lower() for t in truths for p in t.paragraphs for w in p.split()}
    assert len(words) > 1500
    assert "lorem" not in words


def test_robots_point_to_a_sitemap_index_of_news_sitemaps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitegen, "URLS_PER_NEWS_SITEMAP", 10)
    root = tmp_path / "chunked"
    generate_site(root, SiteParams(articles=25, seed=3))
    robots = (root / "robots.txt").read_text()
    assert f"Sitemap: {PLACEHOLDER_ORIGIN}/sitemap_index.xml" in robots.splitlines()
    index = ET.parse(root / "sitemap_index.xml").getroot()
    locs = [e.text or "" for e in index.findall("sm:sitemap/sm:loc", NS)]
    news = [loc for loc in locs if "/news-" in loc]
    assert len(news) == 3
    truths = {PLACEHOLDER_ORIGIN + t.path: t for t in load_truth(root)}
    seen = []
    for loc in news:
        urlset = ET.parse(root / loc.removeprefix(PLACEHOLDER_ORIGIN + "/")).getroot()
        entries = urlset.findall("sm:url", NS)
        assert len(entries) <= 10
        for entry in entries:
            url = entry.findtext("sm:loc", namespaces=NS) or ""
            truth = truths[url]
            assert entry.findtext("news:news/news:publication_date", namespaces=NS) == truth.published
            assert entry.findtext("image:image/image:caption", namespaces=NS) == truth.cover_caption
            seen.append(url)
    assert sorted(seen) == sorted(truths)


def test_each_section_has_an_rss_feed_with_dates_authors_and_credits(site: Path) -> None:
    truths = {PLACEHOLDER_ORIGIN + t.path: t for t in load_truth(site)}
    items = []
    for section in sitegen.SECTIONS:
        channel = ET.parse(site / "feeds" / f"{section}.xml").getroot().find("channel")
        assert channel is not None
        items += channel.findall("item")
    assert len(items) == ARTICLES  # fewer than FEED_ITEMS per section, so every article is in a feed
    for item in items:
        truth = truths[item.findtext("link") or ""]
        assert item.findtext("pubDate")
        assert [c.text for c in item.findall("dc:creator", NS)] == truth.authors
        assert item.findtext("media:content/media:credit", namespaces=NS) == truth.cover_credit


def test_every_page_is_reachable_from_the_home_page(site: Path) -> None:
    manifest = SiteManifest.load(site)
    assert manifest is not None and manifest.complete
    seen = {"/"}
    queue = ["/"]
    while queue:
        path = queue.pop()
        file = site / (path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/"))
        assert file.is_file(), f"link to a missing page: {path}"
        for node in LexborHTMLParser(file.read_text(encoding="utf-8")).css("a[href]"):
            href = node.attributes.get("href") or ""
            if href.startswith("/") and href not in seen:
                seen.add(href)
                queue.append(href)
    assert len(seen) == manifest.pages
    assert {t.path for t in load_truth(site)} <= seen


def test_ensure_site_reuses_a_matching_site_and_rebuilds_another(tmp_path: Path) -> None:
    root = tmp_path / "cached"
    first = ensure_site(root, SiteParams(articles=5))
    stamp = (root / "index.html").stat().st_mtime_ns
    assert ensure_site(root, SiteParams(articles=5)) == first
    assert (root / "index.html").stat().st_mtime_ns == stamp
    rebuilt = ensure_site(root, SiteParams(articles=6))
    assert rebuilt.article_pages == 6 and len(load_truth(root)) == 6


def test_never_replaces_a_directory_it_did_not_write(tmp_path: Path) -> None:
    foreign = tmp_path / "precious"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        generate_site(foreign, SiteParams(articles=3))
    assert (foreign / "notes.txt").read_text() == "keep me"
    with pytest.raises(ValueError):
        generate_site(tmp_path / "empty", SiteParams(articles=0))
