"""What robots.txt tells discovery: the sitemaps it lists and the crawl delay it asks of our user agent."""

from __future__ import annotations

from urllib.parse import urljoin

from protego import Protego

from newscrawl.discovery.links import is_http_url


def sitemaps_from_robots(text: str, base_url: str) -> list[str]:
    """Absolute http(s) URLs of the ``Sitemap:`` lines, de-duplicated in file order."""
    sitemaps: dict[str, None] = {}
    for raw in Protego.parse(text).sitemaps:
        url = urljoin(base_url, raw.strip())
        if is_http_url(url):
            sitemaps.setdefault(url, None)
    return list(sitemaps)


def crawl_delay(text: str, user_agent: str) -> float | None:
    """Seconds between requests robots.txt asks of ``user_agent`` (or of ``*``); None if it sets none."""
    delay = Protego.parse(text).crawl_delay(user_agent)
    # A negative or absurd value is a typo on the site's side, not a request to stop crawling.
    return float(delay) if delay is not None and delay >= 0 else None
