"""extract_raw: each field's candidates in precedence order with their source; odd input parsed tolerantly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml.html import fromstring

from newscrawl.extraction import UnparsableHTML, extract_raw
from newscrawl.extraction.document import decode_html
from newscrawl.extraction.images import parse_srcset
from newscrawl.extraction.jsonld import read_jsonld
from newscrawl.extraction.raw import Candidate
from newscrawl.hints import EntryHints, ImageHint

DATA = Path(__file__).parent / "data"
FETCHED = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)


def _raw(name: str, url: str = "https://news.example.com/2024/05/02/story", **kwargs: object):  # type: ignore[no-untyped-def]
    return extract_raw((DATA / name).read_bytes(), url, fetched_at=FETCHED, **kwargs)  # type: ignore[arg-type]


def test_jsonld_graph_candidates_come_first_with_their_source() -> None:
    raw = _raw("jsonld_graph.html")
    assert raw.title[0] == Candidate("Harbour reopens after storm", "jsonld")
    # @id references to Person nodes are followed.
    assert raw.authors == [Candidate(["Jane Doe", "John Roe"], "jsonld")]
    assert raw.published[0] == Candidate("2024-05-02T08:30:00+01:00", "jsonld")
    assert Candidate("2024-05-02", "url") in raw.published
    assert raw.paywall == [Candidate(True, "jsonld")]
    assert raw.site_name[0] == Candidate("The Daily Example", "jsonld")
    assert raw.html_lang == "en-GB"


def test_byline_elements_are_the_fallback_when_no_structured_source_names_an_author() -> None:
    html = (
        "<html><body><article><h1>Headline</h1><p class='byline'>By Ann Lee</p>"
        "<p>A first paragraph of the story that is long enough to be kept by the extractor.</p></article>"
        "</body></html>"
    )
    raw = extract_raw(html, "https://example.com/a", fetched_at=FETCHED)
    assert raw.authors == [Candidate(["By Ann Lee"], "dom")]


def test_a_live_blog_is_described_by_its_own_node_not_by_its_latest_update() -> None:
    raw = _raw("liveblog.html")
    assert raw.title[0] == Candidate("Wahl-Ticker: Alle Ergebnisse", "jsonld")
    assert raw.authors == []


def test_microdata_then_meta_then_dom() -> None:
    raw = _raw("microdata.html")
    assert raw.title == [
        Candidate("Council approves budget", "microdata"),
        Candidate("Council approves budget - Town Gazette", "dom"),
    ]
    assert raw.authors == [Candidate(["Marie Tremblay"], "microdata")]
    assert raw.modified == [Candidate("2023-11-15T08:00:00-05:00", "meta")]


def test_opengraph_and_meta_tags() -> None:
    raw = _raw("meta_only.html")
    assert raw.published[:2] == [
        Candidate("2024-03-05T06:10:00Z", "opengraph"),
        Candidate("2024-03-05T06:11:00Z", "meta"),
    ]
    assert raw.language == [Candidate("en_US", "opengraph")]
    assert Candidate(["rail", "strikes"], "opengraph") in raw.tags


@pytest.mark.parametrize(
    "script",
    [
        '{"@type": "NewsArticle", "headline": "Trailing commas",}',
        '<!-- {"@type": "NewsArticle", "headline": "Trailing commas"} -->',
        '/*<![CDATA[*/{"@type": "NewsArticle", "headline": "Trailing commas"}/*]]>*/',
        '{"@type": "NewsArticle", "headline": "Trailing\tcommas"}',
        '{"@type": "NewsArticle", "headline": "Trailing commas"} {"@type": "Organization"}',
    ],
    ids=["trailing-comma", "html-comment", "cdata", "control-character", "two-objects"],
)
def test_broken_jsonld_is_repaired(script: str) -> None:
    tree = fromstring(f'<html><head><script type="application/ld+json">{script}</script></head><body></body></html>')
    article = read_jsonld(tree).article
    assert article is not None
    assert article["headline"].replace("\t", " ") == "Trailing commas"


def test_hopeless_jsonld_is_skipped_and_the_rest_of_the_page_still_counts() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        '<meta property="og:title" content="From OpenGraph"></head><body></body></html>'
    )
    raw = extract_raw(html, "https://example.com/a", fetched_at=FETCHED)
    assert raw.title == [Candidate("From OpenGraph", "opengraph")]


def test_entry_hints_are_the_last_fallback() -> None:
    entry = EntryHints(
        source="sitemap",
        url="https://example.com/a",
        title="Sitemap title",
        published="2024-01-01T10:00:00+00:00",
        images=(ImageHint(url="https://example.com/hint.jpg", caption="From the sitemap"),),
    )
    raw = _raw("meta_only.html", entry=entry)
    assert raw.title[-1] == Candidate("Sitemap title", "sitemap")
    assert raw.published[-1] == Candidate("2024-01-01T10:00:00+00:00", "sitemap")
    assert raw.images[-1].url == "https://example.com/hint.jpg"
    assert raw.images[-1].source == "sitemap"


def test_images_skip_logos_pixels_avatars_and_icons() -> None:
    urls = [image.url for image in _raw("images.html").images]
    assert not any(word in url for url in urls for word in ("logo", "pixel", "avatar", "icon", "placeholder"))
    assert urls[0].startswith("https://cdn.example.com/photos/forest-fire-aerial-view.jpg")


@pytest.mark.parametrize(
    ("srcset", "expected"),
    [
        ("a.jpg 480w, b.jpg 960w", [("a.jpg", 480.0), ("b.jpg", 960.0)]),
        (
            "a.jpg?crop=4:3,smart&w=1 1x,b.jpg?trim=1,2,3 2x",
            [("a.jpg?crop=4:3,smart&w=1", 1.0), ("b.jpg?trim=1,2,3", 2.0)],
        ),
        ("only.jpg", [("only.jpg", 1.0)]),
        ("", []),
    ],
)
def test_srcset_urls_may_contain_commas(srcset: str, expected: list[tuple[str, float]]) -> None:
    assert parse_srcset(srcset) == expected


def test_declared_legacy_encoding_is_honoured() -> None:
    raw = _raw("latin1.html")
    assert raw.title[0].value == "Grüße aus München"
    assert any(paragraph.startswith("Die Straßenbahn fährt") for paragraph in raw.body)


def test_undeclared_non_utf8_bytes_fall_back_to_cp1252_not_to_replacement_characters() -> None:
    assert decode_html(b"<p>caf\xe9 \x93quoted\x94</p>") == "<p>café “quoted”</p>"
    assert decode_html("<p>naïve</p>".encode()) == "<p>naïve</p>"
    assert decode_html("<p>x</p>".encode("latin-1"), encoding="no-such-codec") == "<p>x</p>"


@pytest.mark.parametrize("html", ["", "   ", b""])
def test_an_empty_document_is_a_clear_error(html: str | bytes) -> None:
    with pytest.raises(UnparsableHTML):
        extract_raw(html, "https://example.com/a", fetched_at=FETCHED)
