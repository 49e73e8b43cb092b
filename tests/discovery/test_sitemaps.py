"""Sitemaps: news/image fields reach EntryHints, indexes give refs, gzip, limits and broken input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newscrawl.discovery import DiscoveryError, SitemapRef, parse_sitemap
from newscrawl.hints import ImageHint

DATA = Path(__file__).resolve().parent / "data"
BASE = "https://www.example-news.com/sitemap-news.xml"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_news_sitemap_fields_reach_the_entry_hints() -> None:
    document = parse_sitemap(read("news_sitemap.xml"), BASE)
    assert document.kind == "urlset"
    first = document.entries[0]
    assert first.source == "sitemap"
    assert first.url == "https://www.example-news.com/world/2023/03/21/xi-moscow-visit-putin-talks/"
    assert first.title == "Xi’s Moscow visit: what Putin & Xi agreed"
    assert first.published == "2023-03-21T10:15:00+01:00"
    assert first.modified == "2023-03-21T12:40:00+01:00"
    assert first.language == "en"
    assert first.tags == ("China", "Russia", "diplomacy")


def test_image_captions_are_kept_and_a_license_is_not_a_credit() -> None:
    first = parse_sitemap(read("news_sitemap.xml"), BASE).entries[0]
    assert first.images == (
        ImageHint(
            url="https://cdn.example-news.com/img/xi-putin.jpg",
            caption="Xi Jinping and Vladimir Putin in the Kremlin on Monday.",
            credit=None,
            title="Xi and Putin",
        ),
        ImageHint(url="https://www.example-news.com/img/kremlin.jpg"),
    )


def test_relative_locs_resolve_and_unusable_entries_are_counted() -> None:
    document = parse_sitemap(read("news_sitemap.xml"), BASE)
    second = document.entries[1]
    assert second.url == "https://www.example-news.com/business/markets-rally-as-inflation-eases"
    assert second.modified == "2023-03-20"
    assert second.title is None and second.images == ()
    # one <url> without <loc>, one ftp: and one mailto: URL
    assert len(document.entries) == 2
    assert document.skipped == 3


def test_namespaces_are_matched_by_local_name() -> None:
    entry = parse_sitemap(read("odd_namespace_sitemap.xml"), "https://www.example.de/").entries[0]
    assert entry.title == "Bundestag beschließt Etat"
    assert entry.published == "2024-11-22T08:00:00Z"
    assert entry.language == "de"
    assert entry.images == (
        ImageHint(
            url="https://www.example.de/bilder/bundestag.jpg",
            caption="Abgeordnete im Plenarsaal",
            credit="dpa",
        ),
    )


def test_gzipped_sitemap_is_detected_by_its_magic_bytes_not_its_url() -> None:
    plain = parse_sitemap(read("news_sitemap.xml"), BASE)
    zipped = parse_sitemap(gzip.compress(read("news_sitemap.xml")), "https://www.example-news.com/sitemap")
    assert zipped.entries == plain.entries


def test_gzip_bomb_raises_instead_of_filling_memory() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (4 * 1024 * 1024) + b"</urlset>")
    assert len(bomb) < 10_000
    with pytest.raises(DiscoveryError, match="more than"):
        parse_sitemap(bomb, BASE, max_size=1024 * 1024)


def test_sitemap_index_gives_refs_including_one_to_itself() -> None:
    document = parse_sitemap(read("yoast_index.xml"), "https://blog.example.org/sitemap_index.xml")
    assert document.kind == "index"
    assert document.entries == []
    assert document.sitemaps == [
        SitemapRef("https://blog.example.org/post-sitemap.xml", "2024-05-02T09:12:44+00:00"),
        SitemapRef("https://blog.example.org/post-sitemap2.xml", "2024-04-01T10:00:00+00:00"),
        SitemapRef("https://blog.example.org/page-sitemap.xml", None),
        # the index lists itself: just a ref, loop handling is the spider's
        SitemapRef("https://blog.example.org/sitemap_index.xml", None),
    ]
    assert document.skipped == 1  # javascript: loc


def test_text_sitemap_is_a_urlset() -> None:
    document = parse_sitemap(read("text_sitemap.txt"), "https://www.example.com/sitemap.txt")
    assert document.kind == "urlset"
    assert [entry.url for entry in document.entries] == [
        "https://www.example.com/2024/01/02/first-story-on-the-list/",
        "https://www.example.com/2024/01/03/second-story-on-the-list/",
    ]
    assert document.skipped == 1


def make_urlset(count: int) -> bytes:
    rows = "".join(
        f"<url><loc>https://www.example.com/news/story-number-{i}</loc><lastmod>2024-01-01</lastmod></url>"
        for i in range(count)
    )
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'.encode()


def test_a_full_50000_entry_sitemap_parses() -> None:
    document = parse_sitemap(make_urlset(50_000), BASE)
    assert len(document.entries) == 50_000
    assert document.skipped == 0
    assert document.entries[-1].url == "https://www.example.com/news/story-number-49999"


def test_entries_beyond_max_entries_are_counted_as_skipped() -> None:
    document = parse_sitemap(make_urlset(120), BASE, max_entries=100)
    assert len(document.entries) == 100
    assert document.skipped == 20


def test_malformed_sitemap_keeps_complete_entries_and_drops_the_cut_one() -> None:
    document = parse_sitemap(read("malformed_sitemap.xml"), BASE)
    assert [entry.url for entry in document.entries] == [
        "https://www.example.com/news/first-complete-entry-before-damage",
        # a bare "&" must not eat the parameter after it
        "https://www.example.com/news/second-entry-with-a-raw-ampersand?a=1&b=2",
    ]
    assert document.skipped == 1


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"<html><body>Not found</body></html>",
        b"<rss version='2.0'><channel/></rss>",
        b"\x1f\x8b\x08\x00garbage-after-the-gzip-magic",
        b"just some words\nand more words\n",
    ],
    ids=["empty", "blank", "html", "feed", "corrupt-gzip", "prose"],
)
def test_unreadable_or_foreign_bodies_raise_discovery_error(body: bytes) -> None:
    with pytest.raises(DiscoveryError):
        parse_sitemap(body, BASE)
