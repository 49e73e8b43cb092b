"""Read a sitemap (index, news/image urlset, or plain text) into SitemapRefs and EntryHints."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from newscrawl.discovery.errors import DiscoveryError
from newscrawl.discovery.xml import (
    DEFAULT_MAX_DECOMPRESSED,
    HTTP_URL,
    absolute_http_url,
    clean_text,
    decompressed,
    local_name,
    parse_xml,
    text_of,
)
from newscrawl.hints import EntryHints, ImageHint

_KEYWORD_SEPARATOR = re.compile(r"\s*,\s*")
# A complete sitemap ends with its root's end tag; without it the download was cut off.
_CLOSED_ROOT = re.compile(rb"</(?:[\w.-]+:)?(?:urlset|sitemapindex)\s*>\s*$")
_TAIL_SIZE = 512


@dataclass(frozen=True)
class SitemapRef:
    """A child sitemap listed by a sitemap index."""

    url: str
    lastmod: str | None


@dataclass
class SitemapDocument:
    """What one sitemap file lists: child sitemaps (index) or article entries (urlset)."""

    kind: Literal["index", "urlset"]
    sitemaps: list[SitemapRef] = field(default_factory=list)
    entries: list[EntryHints] = field(default_factory=list)
    skipped: int = 0
    """Entries dropped: no ``loc``, not an http(s) URL, or beyond ``max_entries``."""


def parse_sitemap(
    body: bytes,
    base_url: str,
    *,
    max_entries: int = 50_000,
    max_size: int = DEFAULT_MAX_DECOMPRESSED,
) -> SitemapDocument:
    """Parse a sitemap body (gzip or not); DiscoveryError if it is neither sitemap XML nor a URL list."""
    data = decompressed(body, max_size=max_size)
    if not data.strip():
        raise DiscoveryError("empty sitemap")
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _parse_text_sitemap(data, base_url, max_entries)
    root = parse_xml(data, max_size=max_size)
    kind = local_name(root)
    if kind == "sitemapindex":
        document = _parse_index(root, base_url, max_entries)
    elif kind == "urlset":
        document = _parse_urlset(root, base_url, max_entries)
    else:
        raise DiscoveryError(f"not a sitemap: root element <{kind or root.tag}>")
    if not _CLOSED_ROOT.search(data[-_TAIL_SIZE:]):
        _drop_truncated_tail(document)
    return document


def _drop_truncated_tail(document: SitemapDocument) -> None:
    # The recovering parser turns a cut-off "<loc>https://x/sto" into a wrong URL: drop the last entry,
    # which is the one the cut may have hit, and count it.
    if document.entries:
        document.entries.pop()
        document.skipped += 1
    elif document.sitemaps:
        document.sitemaps.pop()
        document.skipped += 1


def _parse_index(root: etree._Element, base_url: str, max_entries: int) -> SitemapDocument:
    document = SitemapDocument(kind="index")
    for child in root:
        if local_name(child) != "sitemap":
            continue
        loc: str | None = None
        lastmod: str | None = None
        for part in child:
            name = local_name(part)
            if name == "loc":
                loc = text_of(part)
            elif name == "lastmod":
                lastmod = text_of(part)
        url = absolute_http_url(loc, base_url)
        if url is None or len(document.sitemaps) >= max_entries:
            document.skipped += 1
            continue
        document.sitemaps.append(SitemapRef(url=url, lastmod=lastmod))
    return document


def _parse_urlset(root: etree._Element, base_url: str, max_entries: int) -> SitemapDocument:
    document = SitemapDocument(kind="urlset")
    for child in root:
        if local_name(child) != "url":
            continue
        # Counting what is over the limit is cheap; building the hints is not.
        if len(document.entries) >= max_entries:
            document.skipped += 1
            continue
        entry = _entry_from_url_element(child, base_url)
        if entry is None:
            document.skipped += 1
        else:
            document.entries.append(entry)
    return document


def _entry_from_url_element(element: etree._Element, base_url: str) -> EntryHints | None:
    loc: str | None = None
    fields: dict[str, str | None] = {}
    tags: tuple[str, ...] = ()
    images: list[ImageHint] = []
    for part in element:
        name = local_name(part)
        if name == "loc":
            loc = text_of(part)
        elif name == "lastmod":
            fields["modified"] = text_of(part)
        elif name == "news":
            news_fields, tags = _news_fields(part)
            fields.update(news_fields)
        elif name == "image":
            image = _image_hint(part, base_url)
            if image is not None:
                images.append(image)
    url = absolute_http_url(loc, base_url)
    if url is None:
        return None
    return EntryHints(
        source="sitemap",
        url=url,
        title=fields.get("title"),
        published=fields.get("published"),
        modified=fields.get("modified"),
        language=fields.get("language"),
        tags=tags,
        images=tuple(images),
    )


def _news_fields(news: etree._Element) -> tuple[dict[str, str | None], tuple[str, ...]]:
    fields: dict[str, str | None] = {}
    tags: tuple[str, ...] = ()
    # news:language sits inside news:publication; iterating descendants finds it wherever a site puts it.
    for part in news.iter(etree.Element):
        name = local_name(part)
        if name == "publication_date":
            fields["published"] = text_of(part)
        elif name == "title":
            fields["title"] = clean_text(part)
        elif name == "language":
            fields["language"] = text_of(part)
        elif name == "keywords":
            keywords = clean_text(part) or ""
            tags = tuple(tag for tag in _KEYWORD_SEPARATOR.split(keywords) if tag)
    return fields, tags


def _image_hint(image: etree._Element, base_url: str) -> ImageHint | None:
    values: dict[str, str | None] = {}
    for part in image:
        name = local_name(part)
        # image:license is a licence URL, not who took the photo: only an explicit credit element counts.
        if name in {"loc", "caption", "title", "credit"}:
            values[name] = text_of(part) if name == "loc" else clean_text(part)
    url = absolute_http_url(values.get("loc"), base_url)
    if url is None:
        return None
    return ImageHint(
        url=url, caption=values.get("caption"), credit=values.get("credit"), title=values.get("title")
    )


def _parse_text_sitemap(data: bytes, base_url: str, max_entries: int) -> SitemapDocument:
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    document = SitemapDocument(kind="urlset")
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        url = absolute_http_url(line, base_url) if HTTP_URL.match(line) else None
        if url is None or len(document.entries) >= max_entries:
            document.skipped += 1
            continue
        document.entries.append(EntryHints(source="sitemap", url=url))
    if not document.entries and document.skipped:
        raise DiscoveryError("not a sitemap: neither XML nor a list of http(s) URLs")
    return document
