"""Read an RSS 2.0, RSS 1.0 (RDF), Atom or JSON Feed body into EntryHints, dates and names kept as printed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

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

# Tags whose boundary separates words; without a space "<p>end.</p><p>Next" would read "end.Next".
_BLOCK_BOUNDARY = re.compile(
    r"<\s*/?\s*(?:br|p|div|li|ul|ol|h[1-6]|tr|td|th|blockquote|figure|figcaption|section|article|hr)\b[^>]*>",
    re.IGNORECASE,
)
_MARKUP_HINT = re.compile(r"[<&]")
_WHITESPACE = re.compile(r"\s+")
_IMAGE_EXTENSION = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:$|[?#])", re.IGNORECASE)
_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_JSON_FEED_VERSION = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/', re.IGNORECASE)


@dataclass
class FeedDocument:
    """A feed's own title and language, and one EntryHints per item that links to a page."""

    title: str | None
    language: str | None
    entries: list[EntryHints] = field(default_factory=list)
    skipped: int = 0
    """Items dropped because they link to no http(s) page."""


def parse_feed(body: bytes, base_url: str, *, max_size: int = DEFAULT_MAX_DECOMPRESSED) -> FeedDocument:
    """Parse a feed body (gzip or not); raise DiscoveryError if it is not RSS, RDF, Atom or JSON Feed."""
    data = decompressed(body, max_size=max_size)
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return _parse_json_feed(stripped, base_url)
    root = parse_xml(data, max_size=max_size)
    kind = local_name(root)
    if kind == "rss":
        channel = _first_child(root, "channel")
        if channel is None:
            raise DiscoveryError("RSS feed without <channel>")
        return _parse_rss(channel, _children(channel, "item"), base_url)
    if kind == "rdf":
        channel = _first_child(root, "channel")
        # RSS 1.0 puts the items beside the channel, not inside it.
        items = _children(root, "item")
        return _parse_rss(channel if channel is not None else root, items, base_url)
    if kind == "feed":
        return _parse_atom(root, base_url)
    raise DiscoveryError(f"not a feed: root element <{kind or root.tag}>")


# ---- helpers shared by the formats -------------------------------------------------------------------


def html_to_text(markup: str | None) -> str | None:
    """Plain text of an HTML fragment: tags and scripts dropped, entities decoded, whitespace folded."""
    if not markup:
        return None
    if _MARKUP_HINT.search(markup):
        tree = LexborHTMLParser(_BLOCK_BOUNDARY.sub(" ", markup))
        tree.strip_tags(["script", "style", "noscript", "template"])
        markup = tree.text(separator="")
    text = _WHITESPACE.sub(" ", markup).strip()
    return text or None


def _children(parent: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in parent if local_name(child) == name]


def _first_child(parent: etree._Element, name: str) -> etree._Element | None:
    for child in parent:
        if local_name(child) == name:
            return child
    return None


def _dedup(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def _media_images(item: etree._Element, base_url: str) -> tuple[ImageHint, ...]:
    """Images of ``media:content`` / ``media:thumbnail`` (also in ``media:group``) and image enclosures."""
    images: dict[str, ImageHint] = {}
    for element in item.iter(etree.Element):
        name = local_name(element)
        # Atom's own <content> has no url attribute; media:content always has one: that tells them apart.
        if name in {"content", "thumbnail"} and element.get("url"):
            if name == "content" and not _is_image(element):
                continue
            parent = element.getparent()
            in_image = parent is not None and local_name(parent) == "content" and _is_image(parent)
            if name == "thumbnail" and in_image:
                continue  # a smaller rendition of the image just taken
            hint = _media_hint(element, base_url)
        elif name == "enclosure" and (element.get("type") or "").lower().startswith("image/"):
            url = absolute_http_url(element.get("url"), base_url)
            hint = ImageHint(url=url) if url else None
        else:
            continue
        if hint is not None and hint.url not in images:
            images[hint.url] = hint
    return tuple(images.values())


def _is_image(media_content: etree._Element) -> bool:
    medium = (media_content.get("medium") or "").lower()
    mime = (media_content.get("type") or "").lower()
    if medium or mime:
        return medium == "image" or mime.startswith("image/")
    return bool(_IMAGE_EXTENSION.search(media_content.get("url") or ""))


def _media_hint(element: etree._Element, base_url: str) -> ImageHint | None:
    url = absolute_http_url(element.get("url"), base_url)
    if url is None:
        return None
    # Caption, title and credit may sit on the element or, shared, on its media:group.
    scopes = [element]
    parent = element.getparent()
    if parent is not None and local_name(parent) == "group":
        scopes.append(parent)
    found: dict[str, str | None] = {}
    for scope in scopes:
        for child in scope:
            name = local_name(child)
            if name in {"description", "title", "credit"} and not found.get(name):
                text = clean_text(child)
                found[name] = html_to_text(text) if name == "description" else text
    title = found.get("title")
    caption = found.get("description") or title
    return ImageHint(url=url, caption=caption, credit=found.get("credit"), title=title)


# ---- RSS 2.0 and RSS 1.0 (RDF) ----------------------------------------------------------------------


def _parse_rss(channel: etree._Element, items: list[etree._Element], base_url: str) -> FeedDocument:
    language = clean_text(_first_child(channel, "language"))
    document = FeedDocument(title=clean_text(_first_child(channel, "title")), language=language)
    for item in items:
        entry = _rss_entry(item, base_url, language)
        if entry is None:
            document.skipped += 1
        else:
            document.entries.append(entry)
    return document


def _rss_link(item: etree._Element, base_url: str) -> str | None:
    for child in item:
        name = local_name(child)
        # <link> is RSS's; an Atom <link href> inside an RSS item is common on WordPress and podcasts.
        if name == "link":
            url = absolute_http_url(child.get("href") or text_of(child), base_url)
            if url and (child.get("rel") or "alternate") == "alternate":
                return url
    guid = _first_child(item, "guid")
    if guid is not None and (guid.get("isPermaLink") or "true").strip().lower() != "false":
        return absolute_http_url(text_of(guid), base_url)
    about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    return absolute_http_url(about, base_url)


def _rss_entry(item: etree._Element, base_url: str, channel_language: str | None) -> EntryHints | None:
    url = _rss_link(item, base_url)
    if url is None:
        return None
    by_name: dict[str, list[etree._Element]] = {}
    for child in item:
        by_name.setdefault(local_name(child), []).append(child)

    def first(*names: str, clean: bool = True) -> str | None:
        for name in names:
            for element in by_name.get(name, ()):
                text = clean_text(element) if clean else text_of(element)
                if text:
                    return text
        return None

    authors = _dedup(clean_text(element) for name in ("creator", "author") for element in by_name.get(name, ()))
    # Items rarely state a language; dc:language on the item wins over the channel's.
    return EntryHints(
        source="feed",
        url=url,
        # Titles and descriptions are (escaped) HTML: the HTML parser decodes their entities exactly once.
        title=html_to_text(first("title", clean=False)),
        published=first("pubdate", "date", "published", "issued"),
        modified=first("updated", "modified"),
        authors=authors,
        description=html_to_text(first("description", "summary", "encoded", clean=False)),
        language=first("language") or channel_language,
        tags=_dedup(clean_text(element) for name in ("category", "subject") for element in by_name.get(name, ())),
        images=_media_images(item, base_url),
    )


# ---- Atom -------------------------------------------------------------------------------------------


def _atom_link(entry: etree._Element, base_url: str) -> str | None:
    fallback: str | None = None
    for link in _children(entry, "link"):
        rel = (link.get("rel") or "alternate").strip().lower()
        url = absolute_http_url(link.get("href"), base_url)
        if url is None:
            continue
        if rel == "alternate" and (link.get("type") or "text/html").lower() in _PAGE_TYPES:
            return url
        if rel == "alternate" and fallback is None:
            fallback = url
    if fallback:
        return fallback
    id_element = _first_child(entry, "id")
    entry_id = text_of(id_element) if id_element is not None else None
    return absolute_http_url(entry_id, base_url) if entry_id and HTTP_URL.match(entry_id) else None


def _atom_text(element: etree._Element | None) -> str | None:
    """Atom text constructs: type="html" is escaped markup, type="xhtml" real child elements; both to text."""
    if element is None:
        return None
    if (element.get("type") or "").lower() == "xhtml":
        # Real child elements: serialise them so paragraph boundaries still separate words.
        return html_to_text(etree.tostring(element, encoding="unicode", with_tail=False))
    return html_to_text(text_of(element))


def _parse_atom(root: etree._Element, base_url: str) -> FeedDocument:
    language = root.get(_XML_LANG) or None
    document = FeedDocument(title=_atom_text(_first_child(root, "title")), language=language)
    feed_authors = _atom_authors(root)
    for entry in _children(root, "entry"):
        url = _atom_link(entry, base_url)
        if url is None:
            document.skipped += 1
            continue
        published = clean_text(_first_child(entry, "published")) or clean_text(_first_child(entry, "issued"))
        summary = _first_child(entry, "summary")
        if summary is None:
            summary = _first_child(entry, "content")
        tags = _dedup(
            (category.get("term") or category.get("label") or clean_text(category) or "").strip() or None
            for category in _children(entry, "category")
        )
        document.entries.append(
            EntryHints(
                source="feed",
                url=url,
                title=_atom_text(_first_child(entry, "title")),
                published=published,
                modified=clean_text(_first_child(entry, "updated")) or clean_text(_first_child(entry, "modified")),
                # RFC 4287: an entry without its own author inherits the feed's.
                authors=_atom_authors(entry) or feed_authors,
                description=_atom_text(summary),
                language=entry.get(_XML_LANG) or language,
                tags=tags,
                images=_media_images(entry, base_url),
            )
        )
    return document


def _atom_authors(parent: etree._Element) -> tuple[str, ...]:
    names: list[str | None] = []
    for author in _children(parent, "author"):
        name = _first_child(author, "name")
        names.append(clean_text(name) if name is not None else clean_text(author))
    return _dedup(names)


# ---- JSON Feed (https://jsonfeed.org) -----------------------------------------------------------------


def _parse_json_feed(data: bytes, base_url: str) -> FeedDocument:
    if not _JSON_FEED_VERSION.search(data[:4096]) and b'"items"' not in data:
        raise DiscoveryError("not a feed: JSON without a JSON Feed version or items")
    try:
        feed = json.loads(data)
    except ValueError as exc:
        raise DiscoveryError(f"unreadable JSON Feed: {exc}") from exc
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise DiscoveryError("not a feed: JSON Feed without an items list")
    language = _json_str(feed.get("language"))
    document = FeedDocument(title=_json_str(feed.get("title")), language=language)
    feed_authors = tuple(_json_author_names(feed))
    for item in feed["items"]:
        entry = _json_entry(item, base_url, language, feed_authors) if isinstance(item, dict) else None
        if entry is None:
            document.skipped += 1
        else:
            document.entries.append(entry)
    return document


def _json_str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _json_author_names(obj: dict[str, Any]) -> Iterator[str]:
    authors = obj.get("authors")
    if not isinstance(authors, list):
        authors = [obj.get("author")]  # version 1.0 had a single author object
    for author in authors:
        name = _json_str(author.get("name")) if isinstance(author, dict) else None
        if name:
            yield name


def _json_entry(
    item: dict[str, Any], base_url: str, language: str | None, feed_authors: tuple[str, ...]
) -> EntryHints | None:
    url = absolute_http_url(_json_str(item.get("url")) or _json_str(item.get("external_url")), base_url)
    if url is None:
        return None
    image_urls = (absolute_http_url(_json_str(item.get(key)), base_url) for key in ("image", "banner_image"))
    tags = item.get("tags")
    return EntryHints(
        source="feed",
        url=url,
        title=_json_str(item.get("title")),
        published=_json_str(item.get("date_published")),
        modified=_json_str(item.get("date_modified")),
        authors=_dedup(_json_author_names(item)) or feed_authors,
        description=_json_str(item.get("summary"))
        or _json_str(item.get("content_text"))
        or html_to_text(_json_str(item.get("content_html"))),
        language=_json_str(item.get("language")) or language,
        tags=_dedup(_json_str(tag) for tag in tags) if isinstance(tags, list) else (),
        images=tuple(ImageHint(url=image) for image in _dedup(image_urls)),
    )
