"""Tell what a downloaded body is (robots.txt, sitemap, feed, HTML page) from its bytes, type and URL."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from newscrawl.discovery.xml import gunzip_head, is_gzip

BodyKind = Literal["robots", "sitemap", "feed", "html", "unknown"]

_HEAD_SIZE = 8192
# Everything that may precede the first element: BOM, XML declaration, processing instructions, comments
# and a non-HTML doctype.
_PROLOGUE = re.compile(
    rb"^(?:\xef\xbb\xbf|\s+|<\?.*?\?>|<!--.*?-->|<!doctype(?!\s+html)[^>]*>)+", re.S | re.I
)
_HTML_DOCTYPE = re.compile(rb"^<!doctype\s+html", re.I)
_FIRST_ELEMENT = re.compile(rb"^<([a-z][\w.-]*:)?([a-z][\w.-]*)", re.I)
_SITEMAP_ROOTS = frozenset({b"urlset", b"sitemapindex"})
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf"})
_HTML_ROOTS = frozenset({b"html", b"head", b"body"})
_JSON_FEED = re.compile(rb'^\{.*?"version"\s*:\s*"https?://jsonfeed\.org/', re.S)
_ROBOTS_LINE = re.compile(rb"^\s*(?:user-agent|disallow|allow|sitemap|crawl-delay)\s*:", re.I | re.M)
_URL_LINE = re.compile(rb"^\s*https?://\S+\s*$", re.I)

_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_XML_TYPES = frozenset({"application/xml", "text/xml"})
_SITEMAP_URL = re.compile(r"sitemap", re.I)
_FEED_URL = re.compile(r"(?:^|[/._~-])(?:feeds?|rss\d?|atom)(?:[/._~-]|$)", re.I)


def sniff(body: bytes, content_type: str | None, url: str) -> BodyKind:
    """What ``body`` is: first from its bytes, then from ``content_type``, then from ``url``."""
    head = gunzip_head(body, _HEAD_SIZE) if is_gzip(body) else body[:_HEAD_SIZE]
    kind = _kind_from_bytes(head)
    if kind != "unknown":
        return kind
    mime = (content_type or "").split(";")[0].strip().lower()
    path = urlsplit(url).path.lower()
    if mime in _FEED_TYPES:
        return "feed"
    if mime in _HTML_TYPES:
        return "html"
    if mime in _XML_TYPES or mime.endswith("+xml"):
        if _SITEMAP_URL.search(path):
            return "sitemap"
        if _FEED_URL.search(path):
            return "feed"
    if path.endswith("/robots.txt"):
        return "robots"
    return "unknown"


def _kind_from_bytes(head: bytes) -> BodyKind:
    start = _PROLOGUE.sub(b"", head, count=1)
    if _HTML_DOCTYPE.match(start):
        return "html"
    element = _FIRST_ELEMENT.match(start)
    if element is not None:
        name = element.group(2).lower()
        if name in _SITEMAP_ROOTS:
            return "sitemap"
        if name in _FEED_ROOTS:
            return "feed"
        if name in _HTML_ROOTS:
            return "html"
        return "unknown"
    if _JSON_FEED.match(start):
        return "feed"
    if _ROBOTS_LINE.search(start):
        return "robots"
    lines = [line for line in start.splitlines()[:20] if line.strip()]
    # A text sitemap is nothing but absolute URLs, one a line.
    if lines and all(_URL_LINE.match(line) for line in lines[:-1] or lines):
        return "sitemap"
    return "unknown"
