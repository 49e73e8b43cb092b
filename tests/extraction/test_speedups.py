"""The shortcuts that make extraction fast give the same results as the slow paths they replace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from shared_pages import SHARED, shared_pages
from trafilatura import bare_extraction

from newscrawl.extraction.body import (
    MIN_FAST_CHARS,
    extract_body,
    paragraphs_of,
    trafilatura_input,
    trim_edges,
)
from newscrawl.extraction.document import UnparsableHTML, parse_html, squash, text_of

DATA = Path(__file__).with_name("data")
#: Every n-th evaluation page: enough layouts (both sets, many publishers) at a few seconds' cost.
SAMPLE_STEP = 2
SAMPLE = list(shared_pages())[::SAMPLE_STEP] if SHARED.is_dir() else []


def _trafilatura_on_the_whole_page(tree: etree._Element, url: str, *, fast: bool) -> list[str]:
    """The call extract_body made before the shortcut: trafilatura's own API on the full tree."""
    document = bare_extraction(
        tree,
        url=url,
        fast=fast,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=False,
        include_links=True,
        with_metadata=False,
        prune_xpath=["//figcaption"],
    )
    body = getattr(document, "body", None)
    return paragraphs_of(body) if body is not None else []


def _body_from_the_whole_page(tree: etree._Element, url: str) -> list[str]:
    """extract_body's rule (fast mode; the cascade when that finds little or one blob) on the full tree."""
    paragraphs = _trafilatura_on_the_whole_page(tree, url, fast=True)
    if sum(map(len, paragraphs)) < MIN_FAST_CHARS or (
        0 < len(paragraphs) <= 2 and max(map(len, paragraphs)) > 2000
    ):
        cascade = _trafilatura_on_the_whole_page(tree, url, fast=False)
        if sum(map(len, cascade)) >= MIN_FAST_CHARS or not paragraphs:
            paragraphs = cascade
    return paragraphs


@pytest.mark.skipif(not SAMPLE, reason="../shared/data is not there: evaluation pages unavailable")
def test_the_thinned_page_gives_the_same_body_as_the_whole_page() -> None:
    # (On a page without paragraphs fast mode's navigation blob is shorter from the thinned page; the
    # blob is rejected for the cascade's result either way.)
    differing = []
    for page_id, html, url in SAMPLE:
        tree = parse_html(html)
        whole = _body_from_the_whole_page(tree, url)
        thinned = extract_body(tree, url)
        if thinned != whole:
            differing.append((page_id, len(whole), len(thinned)))
    assert differing == []
    assert len(SAMPLE) >= 150


def test_the_shared_tree_keeps_what_trafilatura_is_spared() -> None:
    tree = parse_html((DATA / "images.html").read_bytes())
    before = etree.tostring(tree)
    paragraphs = extract_body(tree, "https://news.example/a")
    assert paragraphs
    # Images read their captions from this tree after the body is extracted.
    assert etree.tostring(tree) == before
    assert next(tree.iter("figcaption"), None) is not None


def test_the_thinned_copy_drops_chrome_and_captions_but_keeps_json_ld() -> None:
    tree = parse_html(
        '<html><head><script type=\'application/ld+json\'>{"@type": "NewsArticle"}</script>'
        "<script>var tracking = 1;</script><style>p {}</style></head><body><nav><a href='/'>Home</a></nav>"
        "<article><p>Story text.</p><figure><img src='a.jpg'><figcaption>A caption</figcaption></figure>"
        "</article><aside>Most read</aside><footer>Imprint</footer></body></html>"
    )
    thin = trafilatura_input(tree)
    assert [element.tag for element in thin.iter("nav", "aside", "footer", "style", "figcaption")] == []
    assert [script.get("type") for script in thin.iter("script")] == ["application/ld+json"]
    assert text_of(thin.find(".//article")) == "Story text."


# Text with every kind of whitespace the old regex folded, and the characters XML forbids.
WHITESPACE_CASES = [
    "  plain   words  ",
    "tab\tand\nnew\r\nlines",
    "no-break\u00a0space and\u2003em space\u3000ideographic",
    "separators\x1c\x1d\x1e\x1f and \x85 next line \u2028 line sep",
    "",
    "   ",
]


@pytest.mark.parametrize("text", WHITESPACE_CASES)
def test_squash_folds_whitespace_as_the_regex_did(text: str) -> None:
    assert squash(text) == re.sub(r"\s+", " ", text).strip()


def test_text_of_joins_nested_text_and_folds_whitespace() -> None:
    tree = parse_html("<html><body><p> One <b>two</b>\n\tthree\u00a0four </p></body></html>")
    assert text_of(tree.find(".//p")) == "One two three four"


@pytest.mark.parametrize("bad", ["\x00", "\x0b", "\x1f", "\ufffe", "\uffff"])
def test_characters_xml_forbids_are_dropped_from_str_and_bytes(bad: str) -> None:
    html = f"<html><body><p>before{bad}after</p></body></html>"
    for page in (html, html.encode("utf-8")):
        assert text_of(parse_html(page).find(".//p")) == "beforeafter"


def test_a_page_of_forbidden_characters_only_is_a_clear_error() -> None:
    with pytest.raises(UnparsableHTML):
        parse_html("\x00\x01\x02")


def test_a_long_closing_paragraph_with_an_address_is_prose_not_a_contact_line() -> None:
    prose = " ".join(["word"] * 60) + " write to desk@news.example with tips."
    contact = "Contact the author: desk@news.example"
    assert trim_edges(["Opening paragraph of the story.", prose, contact], names=()) == [
        "Opening paragraph of the story.",
        prose,
    ]


def test_a_queued_article_request_carries_hints_equal_to_its_sitemap_entry() -> None:
    from newscrawl.hints import EntryHints, ImageHint
    from newscrawl.spiders.news import ENTRY_META, NewsSpider

    entry = EntryHints(
        source="sitemap",
        url="https://news.example/world/2024/05/01/a-long-story-slug",
        title="A long story",
        published="2024-05-01T10:00:00+02:00",
        modified="2024-05-01T10:00:00+02:00",
        language="en",
        tags=("world", "politics"),
        images=(ImageHint(url="https://news.example/a.jpg", caption="A caption"),),
    )
    spider = NewsSpider(url="https://news.example/")
    request = spider._article_request(entry.url + "?utm_source=feed", entry)
    assert request.url == entry.url
    assert request.meta[ENTRY_META] == entry


def test_links_and_feeds_read_from_one_parse_equal_those_read_from_bytes() -> None:
    from newscrawl.discovery import feed_links, page_links
    from newscrawl.discovery.links import parse_page

    html = (
        b"<html><head><base href='/news/'><link rel='alternate' type='application/rss+xml' href='feed.xml'>"
        b"</head><body><a href='a-story-about-things'>A</a><a href='#top'>top</a>"
        b"<a href='https://other.example/x#frag'>B</a></body></html>"
    )
    page = parse_page(html)
    assert (
        page_links(page, "https://news.example/")
        == page_links(html, "https://news.example/")
        == [
            "https://news.example/news/a-story-about-things",
            "https://other.example/x",
        ]
    )
    assert feed_links(page, "https://news.example/") == ["https://news.example/news/feed.xml"]
