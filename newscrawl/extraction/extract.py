"""HTML + URL (+ sitemap/feed hints) -> RawArticle: every field's candidates, best first, with their source."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone

from lxml.html import HtmlElement

from newscrawl.extraction.body import extract_body, split_article_body
from newscrawl.extraction.document import parse_html
from newscrawl.extraction.images import collect_images
from newscrawl.extraction.jsonld import JsonLdData, as_text, read_jsonld
from newscrawl.extraction.metadata import (
    _add,
    fill_dom,
    fill_html_lang,
    fill_jsonld,
    fill_meta,
    fill_microdata,
    read_meta,
    read_microdata,
)
from newscrawl.extraction.raw import Candidate, RawArticle
from newscrawl.hints import EntryHints
from newscrawl.normalize.dates import date_from_url

logger = logging.getLogger(__name__)

# Below this share of JSON-LD articleBody's length, trafilatura's body is taken to have missed the story.
_BODY_RECALL_FLOOR = 0.5


def _guarded(step: Callable[[], None], name: str, url: str) -> None:
    """Run one field group; a failure there costs that group only, never the page."""
    try:
        step()
    except Exception:  # noqa: BLE001 - any parser bug in one field must not lose the others
        logger.warning("extraction step %s failed on %s", name, url, exc_info=True)


def _fill_entry(raw: RawArticle, entry: EntryHints) -> None:
    source = entry.source
    _add(raw.title, entry.title, source)
    _add(raw.published, entry.published, source)
    _add(raw.modified, entry.modified, source)
    _add(raw.authors, list(entry.authors), source)
    _add(raw.description, entry.description, source)
    _add(raw.language, entry.language, source)
    _add(raw.tags, list(entry.tags), source)


def _fill_body(raw: RawArticle, tree: HtmlElement, data: JsonLdData) -> None:
    paragraphs = extract_body(tree, raw.url)
    structured = as_text(data.article.get("articleBody")) if data.article else None
    structured_paragraphs: list[str] = []
    if structured and data.article is not None:
        raw_body = data.article.get("articleBody")
        structured_paragraphs = split_article_body(raw_body if isinstance(raw_body, str) else structured)
    found = sum(len(p) for p in paragraphs)
    declared = sum(len(p) for p in structured_paragraphs)
    if structured_paragraphs and found < _BODY_RECALL_FLOOR * declared:
        raw.body, raw.body_source = structured_paragraphs, "jsonld"
    else:
        raw.body, raw.body_source = paragraphs, "dom"


def extract_raw(
    html: str | bytes,
    url: str,
    *,
    entry: EntryHints | None = None,
    fetched_at: datetime | None = None,
    encoding: str | None = None,
) -> RawArticle:
    """Everything the page says about its article, as candidates per field in precedence order.

    Pure: no I/O. The HTML is parsed once and the tree shared by every field and by trafilatura.
    Raises :class:`~newscrawl.extraction.document.UnparsableHTML` only when there is no document at all.
    """
    fetched = fetched_at or datetime.now(timezone.utc)
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=timezone.utc)
    raw = RawArticle(url=url, fetched_at=fetched.astimezone(timezone.utc), entry=entry)
    tree = parse_html(html, encoding)
    data = JsonLdData()
    metas: dict[str, list[str]] = {}
    deferred_authors: list[Candidate[list[str]]] = []

    def structured() -> None:
        nonlocal data
        data = read_jsonld(tree)
        fill_jsonld(raw, data, deferred_authors)

    def meta() -> None:
        nonlocal metas
        metas = read_meta(tree)

    _guarded(structured, "jsonld", url)
    _guarded(lambda: fill_microdata(raw, read_microdata(tree)), "microdata", url)
    _guarded(meta, "meta", url)
    _guarded(lambda: fill_meta(raw, metas), "meta", url)
    _guarded(lambda: fill_html_lang(raw, tree, metas), "lang", url)
    _guarded(lambda: fill_dom(raw, tree), "dom", url)
    _guarded(lambda: _add(raw.published, date_from_url(url), "url"), "url", url)
    if entry is not None:
        _guarded(lambda: _fill_entry(raw, entry), "entry", url)
    # Organisation bylines rank after every person-naming structured source, before DOM guesses.
    position = next((i for i, c in enumerate(raw.authors) if c.source == "dom"), len(raw.authors))
    for candidate in deferred_authors:
        if all(existing.value != candidate.value for existing in raw.authors):
            raw.authors.insert(position, candidate)
            position += 1
    _guarded(lambda: _fill_body(raw, tree, data), "body", url)
    _guarded(lambda: raw.images.extend(collect_images(tree, url, data, metas, entry)), "images", url)
    return raw
