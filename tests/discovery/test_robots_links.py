"""robots.txt sitemaps and crawl delay; page links and feed autodiscovery on a section page."""

from __future__ import annotations

from pathlib import Path

from newscrawl.discovery import crawl_delay, feed_links, page_links, sitemaps_from_robots

DATA = Path(__file__).resolve().parent / "data"
ROBOTS = (DATA / "robots.txt").read_text()
PAGE = (DATA / "section_page.html").read_bytes()
PAGE_URL = "https://www.example-news.com/world/index.html"


def test_robots_sitemaps_are_absolute_http_and_deduplicated_in_order() -> None:
    assert sitemaps_from_robots(ROBOTS, "https://www.example-news.com/robots.txt") == [
        "https://www.example-news.com/sitemap_index.xml",
        "https://www.example-news.com/news-sitemap.xml",
    ]


def test_robots_without_sitemaps_or_garbage_gives_nothing() -> None:
    assert sitemaps_from_robots("", "https://www.example.com/robots.txt") == []
    assert sitemaps_from_robots("<html>not robots</html>", "https://www.example.com/robots.txt") == []


def test_crawl_delay_for_our_agent_and_for_everyone_else() -> None:
    assert crawl_delay(ROBOTS, "newscrawl/0.1 (+https://example.org/bot)") == 0.5
    assert crawl_delay(ROBOTS, "SomeOtherBot/1.0") == 2.0
    assert crawl_delay("User-agent: *\nDisallow:\n", "newscrawl") is None


def test_page_links_honour_base_drop_fragments_and_non_http_links() -> None:
    assert page_links(PAGE, PAGE_URL) == [
        "https://www.example-news.com/",
        "https://www.example-news.com/world/",
        "https://www.example-news.com/world/2023/03/21/xi-moscow-visit-putin-talks/",
        "https://www.example-news.com/business/markets-rally-as-inflation-eases",
        "https://cdn.example-news.com/live/",
        "https://other.example.org/story?id=7",
    ]


def test_page_links_accept_text_and_pages_without_base() -> None:
    html = '<p><a href="b/c">x</a><a href="../d#x">y</a><a href="B/C">z</a></p>'
    assert page_links(html, "https://www.example.com/a/index.html") == [
        "https://www.example.com/a/b/c",
        "https://www.example.com/d",
        "https://www.example.com/a/B/C",
    ]


def test_page_links_on_a_page_with_hundreds_of_links() -> None:
    anchors = "".join(f'<a href="/news/story-{i % 250}">s</a>' for i in range(1000))
    links = page_links(f"<html><body>{anchors}</body></html>", "https://www.example.com/")
    assert len(links) == 250
    assert links[0] == "https://www.example.com/news/story-0"


def test_feed_autodiscovery_finds_rss_atom_and_json_but_not_comment_feeds() -> None:
    assert feed_links(PAGE, PAGE_URL) == [
        "https://www.example-news.com/world/rss.xml",
        "https://www.example-news.com/atom.xml",
        "https://www.example-news.com/world/feed.json",
    ]
