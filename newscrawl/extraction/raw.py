"""The contract between extraction and normalisation: each field's candidate values, best first, with their source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from newscrawl.hints import EntryHints

T = TypeVar("T")


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """One value a page offers for a field, as printed, and where it was found (one of ``items.SOURCES``)."""

    value: T
    source: str


@dataclass(frozen=True)
class RawImage:
    """An image as the page shows it, before caption/credit normalisation."""

    url: str
    """Absolute URL of the largest rendition."""
    caption: str | None = None
    """Caption text as printed; may still contain the credit ("... Photo: AP")."""
    credit: str | None = None
    """Credit text as printed; may still carry its label ("Photo credit: X")."""
    alt: str | None = None
    is_cover: bool = False
    source: str = "dom"


@dataclass
class RawArticle:
    """Everything extraction found on one page. Each list holds candidates in precedence order:
    the normaliser keeps the first one that survives normalisation (the fallback chain)."""

    url: str
    fetched_at: datetime
    """Aware UTC datetime of the fetch; relative dates ("3 hours ago") resolve against it."""
    html_lang: str | None = None
    """The ``lang`` of ``<html>`` or ``content-language`` meta as printed."""
    canonical: list[Candidate[str]] = field(default_factory=list)
    site_name: list[Candidate[str]] = field(default_factory=list)
    """Names the site gives itself (``og:site_name``, JSON-LD publisher): used to strip title affixes
    and to keep the site's own name out of ``authors``."""
    title: list[Candidate[str]] = field(default_factory=list)
    description: list[Candidate[str]] = field(default_factory=list)
    authors: list[Candidate[list[str]]] = field(default_factory=list)
    """Each candidate is one source's list of raw bylines ("By Jane Doe and John Roe")."""
    published: list[Candidate[str]] = field(default_factory=list)
    modified: list[Candidate[str]] = field(default_factory=list)
    language: list[Candidate[str]] = field(default_factory=list)
    section: list[Candidate[str]] = field(default_factory=list)
    tags: list[Candidate[list[str]]] = field(default_factory=list)
    paywall: list[Candidate[bool]] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    """Body paragraphs (intertitles included) in reading order, plain text, not yet cleaned."""
    body_source: str = "dom"
    images: list[RawImage] = field(default_factory=list)
    """Content images in page order; the cover (if any) flagged ``is_cover``."""
    entry: EntryHints | None = None
    """The sitemap/feed entry that led to the page, when known."""
