"""Discovery parsers: pure functions from downloaded bytes (robots.txt, sitemaps, feeds, pages) to URLs."""

from __future__ import annotations

from newscrawl.discovery.errors import DiscoveryError
from newscrawl.discovery.feeds import FeedDocument, parse_feed
from newscrawl.discovery.links import classify_url, feed_links, page_links
from newscrawl.discovery.robots import crawl_delay, sitemaps_from_robots
from newscrawl.discovery.sitemaps import SitemapDocument, SitemapRef, parse_sitemap
from newscrawl.discovery.sniff import sniff

__all__ = [
    "DiscoveryError",
    "FeedDocument",
    "SitemapDocument",
    "SitemapRef",
    "classify_url",
    "crawl_delay",
    "feed_links",
    "page_links",
    "parse_feed",
    "parse_sitemap",
    "sitemaps_from_robots",
    "sniff",
]
