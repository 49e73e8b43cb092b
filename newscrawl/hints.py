"""What a sitemap or feed entry says about an article before it is fetched, carried into extraction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: The ``Request.meta`` key under which an article request carries its EntryHints.
ENTRY_META = "newscrawl_entry"


@dataclass(frozen=True)
class ImageHint:
    """An image the sitemap (``image:image``) or feed (``media:content``, ``enclosure``) lists for the entry."""

    url: str
    caption: str | None = None
    credit: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class EntryHints:
    """Metadata of one sitemap ``<url>`` or feed item, raw strings as printed in the XML.

    Travels in ``Request.meta["entry"]`` from discovery to extraction, where it is the last
    fallback of each field (the page itself is preferred) and is recorded as ``sitemap`` or ``feed``
    in the Article's provenance.
    """

    source: Literal["sitemap", "feed"]
    url: str
    title: str | None = None
    """``news:title`` or the feed item's ``title``."""
    published: str | None = None
    """``news:publication_date``, RSS ``pubDate``, Atom ``published``: raw string."""
    modified: str | None = None
    """Sitemap ``lastmod``, Atom ``updated``: raw string."""
    authors: tuple[str, ...] = ()
    """Feed ``author`` / ``dc:creator`` values as printed."""
    description: str | None = None
    """Feed ``description`` / ``summary`` as plain text."""
    language: str | None = None
    """``news:language`` or the feed's ``language``."""
    tags: tuple[str, ...] = ()
    """``news:keywords`` split on commas, feed ``category`` values."""
    images: tuple[ImageHint, ...] = field(default_factory=tuple)
