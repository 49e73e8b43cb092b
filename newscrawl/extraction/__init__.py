"""Extraction: what a page says (HTML + URL -> RawArticle), and the HTML -> Article call of crawl and eval."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from newscrawl.extraction.document import UnparsableHTML
from newscrawl.extraction.extract import extract_raw
from newscrawl.hints import EntryHints
from newscrawl.items import Article
from newscrawl.normalize.article import normalize_article
from newscrawl.sites.spec import SiteSpec

__all__ = ["UnparsableHTML", "extract_article", "extract_raw"]

logger = logging.getLogger(__name__)


def extract_article(html: str | bytes, url: str, **hints: Any) -> Article:
    """HTML + URL -> the final Article record; never raises on a page, whatever its HTML.

    ``hints``: ``entry`` (EntryHints), ``fetched_at`` (datetime), ``site`` (SiteSpec), ``site_id`` (str),
    ``encoding`` (str). Unknown hints are ignored so callers can pass what they have.
    """
    entry: EntryHints | None = hints.get("entry")
    fetched_at: datetime | None = hints.get("fetched_at")
    site: SiteSpec | None = hints.get("site")
    site_id: str | None = hints.get("site_id")
    encoding: str | None = hints.get("encoding")
    try:
        raw = extract_raw(html, url, entry=entry, fetched_at=fetched_at, encoding=encoding)
    except UnparsableHTML as error:
        logger.info("no HTML document at %s: %s", url, error)
        raw = extract_raw("<html><body></body></html>", url, entry=entry, fetched_at=fetched_at)
    return normalize_article(raw, site=site, site_id=site_id)
