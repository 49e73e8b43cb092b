"""The golden Articles match the demo site they describe: paths exist, text is on the page, hints agree."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from protego import Protego
from w3lib.encoding import html_to_unicode

from newscrawl.demo.server import BASE_URL_TOKEN, SITE_DIR
from newscrawl.items import SCHEMA_VERSION, SOURCES, Article

Fetch = Callable[..., Any]
"""The ``fetch`` fixture of conftest.py: ``fetch(base_url, path, method="GET")``."""

REPO_ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = REPO_ROOT / "tests" / "golden" / "demo"
SEED_EXPECTED = REPO_ROOT.parent / "shared" / "data" / "seed" / "expected.json"

GOLDEN_FILES = sorted(p for p in GOLDEN_DIR.glob("*.json") if not p.name.startswith("_"))
CRAWL = json.loads((GOLDEN_DIR / "_crawl.json").read_text(encoding="utf-8"))
ARTICLE_KEYS = [f.name for f in dataclasses.fields(Article) if f.name not in ("fetched_at", "provenance")]
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "dc": "http://purl.org/dc/elements/1.1/",
}
SEED_PATH = "/news/world-news/2023/03/xis-moscow-visit-a-herald-of-stronger-sino-russian-ties/"
TAGS = re.compile(r"<[^>]+>")
SCRIPTS = re.compile(r"<script\b.*?</script>", re.S | re.I)
JSONLD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)
SPACES = re.compile(r"\s+")
HREFS = re.compile(rb'href="[^"]*"')
# Chrome strings the site prints around its articles: none may reach a golden body.
CHROME = [
    "Leave a comment",
    "scroll to top",
    "Share this",
    "Share on",
    "Sign up",
    "Photo:",
    "Photo credit",
    "Credit:",
    "Фото:",
    "©",
    "By ",
    "Subscribe",
    "Advertisement",
    "Read more",
]


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


GOLDENS = {p.stem: load(p) for p in GOLDEN_FILES}


def page_text(raw: bytes, content_type: str) -> str:
    """The page's visible text, decoded as a browser would, entities resolved, whitespace collapsed."""
    _, markup = html_to_unicode(content_type, raw)
    return SPACES.sub(" ", html.unescape(TAGS.sub(" ", SCRIPTS.sub(" ", markup))))


def same_instant(iso: str, other: datetime) -> bool:
    parsed = datetime.fromisoformat(iso)
    return parsed == other and parsed.utcoffset() == other.utcoffset()


def test_there_are_nine_goldens_and_crawl_lists_exactly_them() -> None:
    assert len(GOLDENS) >= 9
    assert sorted(CRAWL["articles"]) == sorted(g["path"] for g in GOLDENS.values())


@pytest.mark.parametrize("slug", GOLDENS)
def test_golden_has_every_article_key_in_order(slug: str) -> None:
    golden = GOLDENS[slug]
    assert list(golden)[: len(ARTICLE_KEYS) + 1] == ["path", *ARTICLE_KEYS]
    assert set(golden) - {"path", *ARTICLE_KEYS} <= {"provenance"}
    assert golden["site"] == "demo"
    assert golden["schema_version"] == SCHEMA_VERSION
    assert golden["word_count"] == len(golden["body"].split())
    article = Article(
        url="",
        canonical_url="",
        site="",
        title=golden["title"],
        description=golden["description"],
        body=golden["body"],
    )
    assert golden["content_hash"] == article.content_hash
    assert (golden["version"], golden["previous_content_hash"]) == (1, None)
    assert set(golden.get("provenance", {}).values()) <= SOURCES


@pytest.mark.parametrize("slug", GOLDENS)
def test_golden_images_have_one_cover_first(slug: str) -> None:
    images = GOLDENS[slug]["images"]
    assert [image["is_cover"] for image in images] == [True] + [False] * (len(images) - 1)
    for image in images:
        assert set(image) == {"url", "caption", "credit", "alt", "is_cover"}
        assert image["url"].startswith("{{BASE_URL}}/")


@pytest.mark.parametrize("slug", GOLDENS)
def test_golden_path_is_an_html_page_on_the_site(base_url: str, slug: str, fetch: Fetch) -> None:
    golden = GOLDENS[slug]
    reply = fetch(base_url, golden["path"])
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/html")
    assert golden["url"] == "{{BASE_URL}}" + golden["path"]


@pytest.mark.parametrize("slug", GOLDENS)
def test_golden_text_is_what_the_page_says(base_url: str, slug: str, fetch: Fetch) -> None:
    golden = GOLDENS[slug]
    reply = fetch(base_url, golden["path"])
    text = page_text(reply.body, reply.headers["content-type"])
    _, markup = html_to_unicode(reply.headers["content-type"], reply.body)
    for paragraph in golden["body"].split("\n\n"):
        assert paragraph in text
    assert golden["title"] in text
    assert golden["description"] in text
    for name in golden["authors"]:
        assert name in text
    for image in golden["images"]:
        assert image["url"].replace("{{BASE_URL}}", base_url) in markup
        for printed in (image["caption"], image["credit"]):
            assert printed is None or printed in text
    assert golden["canonical_url"].replace("{{BASE_URL}}", base_url) in markup


@pytest.mark.parametrize("slug", GOLDENS)
def test_golden_body_holds_no_chrome(slug: str) -> None:
    body = GOLDENS[slug]["body"]
    assert [chrome for chrome in CHROME if chrome in body] == []
    for image in GOLDENS[slug]["images"]:
        assert image["caption"] is None or image["caption"] not in body


def test_seed_golden_equals_the_seed_expected_article() -> None:
    if not SEED_EXPECTED.is_file():
        pytest.skip(f"{SEED_EXPECTED} not available")
    expected = load(SEED_EXPECTED)
    golden = next(g for g in GOLDENS.values() if g["path"] == SEED_PATH)
    assert golden["title"] == expected["title"]
    assert golden["description"] == expected["description"]
    assert golden["body"] == expected["body"]
    assert [(i["caption"], i["credit"]) for i in golden["images"]] == [
        (i["caption"], i["credit"]) for i in expected["images"]
    ]
    for forbidden in expected["body_must_not_contain"]:
        assert forbidden not in golden["body"]


def test_robots_disallows_every_never_fetched_page_and_it_is_linked(base_url: str, fetch: Fetch) -> None:
    robots = Protego.parse(fetch(base_url, "/robots.txt").body.decode("utf-8"))
    home = fetch(base_url, "/").body.decode("utf-8")
    for path in CRAWL["never_fetched"]:
        assert (SITE_DIR / path.lstrip("/")).is_file()
        assert not robots.can_fetch(base_url + path, "newscrawl")
        assert f'href="{path}"' in home
    for path in CRAWL["articles"]:
        assert robots.can_fetch(base_url + path, "newscrawl")


def test_not_exported_pages_exist(base_url: str, fetch: Fetch) -> None:
    for path in CRAWL["not_exported"]:
        assert fetch(base_url, path).status == 200


def test_home_links_one_article_twice_once_with_tracking_parameters(base_url: str, fetch: Fetch) -> None:
    home = fetch(base_url, "/").body.decode("utf-8")
    tracked = re.findall(r'href="([^"]+)\?utm_source=newsletter&amp;utm_medium=email"', home)
    assert len(tracked) == 1
    assert f'href="{tracked[0]}"' in home
    assert tracked[0] in CRAWL["articles"]


def test_every_json_ld_block_is_valid_json() -> None:
    for page in SITE_DIR.rglob("*.html"):
        markup = page.read_bytes().decode("utf-8", errors="replace").replace("{{BASE_URL}}", "http://x")
        for block in JSONLD.findall(markup):
            json.loads(block)


def golden_by_url(base_url: str) -> dict[str, dict[str, Any]]:
    return {g["url"].replace("{{BASE_URL}}", base_url): g for g in GOLDENS.values()}


def test_news_sitemap_agrees_with_the_goldens(base_url: str, fetch: Fetch) -> None:
    by_url = golden_by_url(base_url)
    root = etree.fromstring(fetch(base_url, "/sitemap-news.xml").body)
    entries = root.findall("sm:url", NS)
    assert {e.findtext("sm:loc", namespaces=NS) for e in entries} == set(by_url)
    for entry in entries:
        golden = by_url[entry.findtext("sm:loc", namespaces=NS) or ""]
        published = entry.findtext("news:news/news:publication_date", namespaces=NS) or ""
        assert same_instant(golden["published_at"], datetime.fromisoformat(published))
        assert entry.findtext("news:news/news:title", namespaces=NS) == golden["title"]
        keywords = entry.findtext("news:news/news:keywords", namespaces=NS) or ""
        assert [k.strip() for k in keywords.split(",")] == golden["tags"]
        lastmod = entry.findtext("sm:lastmod", namespaces=NS)
        assert lastmod is None or lastmod == golden["modified_raw"]


def test_feed_agrees_with_the_goldens(base_url: str, fetch: Fetch) -> None:
    by_url = golden_by_url(base_url)
    channel = etree.fromstring(fetch(base_url, "/feed.xml").body).find("channel")
    assert channel is not None
    items = channel.findall("item")
    assert len(items) >= 8
    for item in items:
        golden = by_url[item.findtext("link") or ""]
        assert item.findtext("title") == golden["title"]
        assert item.findtext("description") == golden["description"]
        assert same_instant(golden["published_at"], parsedate_to_datetime(item.findtext("pubDate") or ""))
        assert [c.text for c in item.findall("dc:creator", NS)] in ([], golden["authors"])
        assert [c.text for c in item.findall("category")] == golden["tags"]
        media = item.find("{http://search.yahoo.com/mrss/}content")
        assert media is not None
        cover = golden["images"][0]
        assert media.get("url") == cover["url"].replace("{{BASE_URL}}", base_url)


def test_dateless_article_is_reachable_only_through_the_news_sitemap() -> None:
    dateless = [g for g in GOLDENS.values() if g.get("provenance", {}).get("published_at") == "sitemap"]
    assert dateless
    for golden in dateless:
        for page in SITE_DIR.rglob("*.html"):
            assert golden["path"].encode() not in page.read_bytes() or page == SITE_DIR / golden["path"][1:]
        assert golden["path"].encode() not in (SITE_DIR / "feed.xml").read_bytes()
        page_bytes = (SITE_DIR / golden["path"][1:]).read_bytes()
        assert b"published_time" not in page_bytes and b"datePublished" not in page_bytes
        # Dated URLs of other pages may be linked; the page's own text and attributes carry no date.
        assert b"<time" not in page_bytes
        assert b"2023" not in HREFS.sub(b"", page_bytes)


def test_base_url_token_is_spelled_identically_everywhere() -> None:
    for file in SITE_DIR.rglob("*"):
        if file.is_file():
            raw = file.read_bytes()
            assert raw.count(b"{{") == raw.count(BASE_URL_TOKEN)
