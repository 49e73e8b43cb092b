"""The Article record that newscrawl exports: one JSON Lines object per article, schema version 1."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

#: Where a field's value came from, as recorded in ``Article.provenance``.
SOURCES = frozenset(
    {"jsonld", "microdata", "opengraph", "meta", "dom", "site", "sitemap", "feed", "url", "text"}
)


@dataclass
class Image:
    """One content image of the article."""

    url: str
    """Absolute URL of the largest rendition the page offers (``srcset``, ``<picture>``, lazy-load attributes)."""

    caption: str | None = None
    """The caption as printed, without the credit; ``None`` when the page gives none."""

    credit: str | None = None
    """Photographer / agency, without its label ("Photo:", "Credit:", "©"); ``None`` when unknown."""

    alt: str | None = None
    """The ``alt`` text of the ``<img>``; ``None`` when missing or empty."""

    is_cover: bool = False
    """True for the lead image (``og:image``, JSON-LD ``image``, or the first figure); at most one per article."""


@dataclass
class Article:
    """A news article as exported. Every key is always present; unknown is ``None`` or ``[]``."""

    url: str
    """The URL fetched, after redirects."""

    canonical_url: str
    """The page's canonical URL when it is on the same site, else ``url``; tracking parameters removed."""

    site: str
    """Site id from the registry, else the registered domain (``example.co.uk``)."""

    title: str
    """The headline, without site-name affixes such as " | Site"."""

    description: str | None = None
    """The standfirst / lead, one paragraph of plain text."""

    authors: list[str] = field(default_factory=list)
    """Person names as printed, without "By", roles, e-mails or handles; an organisation only where no person is."""

    published_at: str | None = None
    """ISO 8601. ``2023-03-21T10:15:00+05:30`` when the offset is known (page or site timezone);
    ``2023-03-21T10:15:00`` (naive, local) when it is not; ``2023-03-21`` when only the day is known.
    Never UTC by assumption."""

    published_raw: str | None = None
    """The string ``published_at`` was read from, as printed on the page or in the feed/sitemap."""

    modified_at: str | None = None
    """Last update, in the format of ``published_at``; never earlier than ``published_at``."""

    modified_raw: str | None = None
    """The string ``modified_at`` was read from."""

    language: str | None = None
    """Primary language subtag, lower case (``en``, ``de``, ``ja``)."""

    section: str | None = None
    """The site's section / category as the page names it."""

    tags: list[str] = field(default_factory=list)
    """Keywords / topics the page declares, de-duplicated, in page order."""

    body: str = ""
    """Paragraphs in reading order separated by one blank line; intertitles as their own paragraphs; NFC;
    no HTML, zero-width characters, soft hyphens, captions, credits, bylines or page chrome."""

    images: list[Image] = field(default_factory=list)
    """Content images in page order, the cover first; one record per picture (its renditions merged). Not
    images of the article: logos, icons, avatars and byline portraits, ads, tracking pixels, and uncaptioned
    pictures that link to another story of the site (teasers)."""

    paywall: bool | None = None
    """Whether the full text is behind a paywall, from the page's own markup (``isAccessibleForFree``);
    ``None`` when the page does not say."""

    word_count: int = 0
    """Number of whitespace-separated words in ``body`` (CJK characters counted one each)."""

    fetched_at: str = ""
    """ISO 8601 UTC time of the fetch, ``2023-03-21T10:15:00+00:00``."""

    provenance: dict[str, str] = field(default_factory=dict)
    """For each extracted field, where its value came from: one of ``SOURCES``. Flags such as
    ``published_at.ambiguous`` may accompany it."""

    content_hash: str = ""
    """``sha256:<hex>`` of the normalised title, description and body: equal hashes mean the same content.
    Computed when the record is built, unless given."""

    version: int = 1
    """1 for the first export of this canonical URL; incremented each time a later run finds changed content."""

    previous_content_hash: str | None = None
    """``content_hash`` of the version this one replaces; ``None`` for version 1."""

    schema_version: int = SCHEMA_VERSION
    """Version of this record's format; bumped on any incompatible change."""

    def __post_init__(self) -> None:
        # Computed once the record is built so that no producer can forget it; a producer that edits the text
        # afterwards calls compute_content_hash() again.
        if not self.content_hash:
            self.content_hash = self.compute_content_hash()

    def compute_content_hash(self) -> str:
        """The ``content_hash`` this record's text gives (the normaliser stores it; state compares it)."""
        digest = hashlib.sha256("\x1f".join((self.title, self.description or "", self.body)).encode("utf-8"))
        return f"sha256:{digest.hexdigest()}"

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-ready data, keys in declaration order."""
        from dataclasses import asdict

        return asdict(self)
