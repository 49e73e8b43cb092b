"""HTML + URL (+ sitemap/feed hints) -> RawArticle: each field's candidates, best first, with their source."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from lxml.html import HtmlElement

from newscrawl.extraction.body import (
    content_root,
    extract_body,
    page_paragraphs,
    recover_split_body,
    split_article_body,
    trim_edges,
)
from newscrawl.extraction.document import parse_html
from newscrawl.extraction.images import collect_images
from newscrawl.extraction.jsonld import JsonLdData, as_text, read_jsonld
from newscrawl.extraction.metadata import (
    add_candidate,
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
    except Exception:
        logger.warning("extraction step %s failed on %s", name, url, exc_info=True)


def _fill_entry(raw: RawArticle, entry: EntryHints) -> None:
    source = entry.source
    add_candidate(raw.title, entry.title, source)
    add_candidate(raw.published, entry.published, source)
    add_candidate(raw.modified, entry.modified, source)
    add_candidate(raw.authors, list(entry.authors), source)
    add_candidate(raw.description, entry.description, source)
    add_candidate(raw.language, entry.language, source)
    add_candidate(raw.tags, list(entry.tags), source)


def _fill_body(raw: RawArticle, tree: HtmlElement, data: JsonLdData) -> HtmlElement | None:
    """Fill the body; return the element holding the story (where its images are), when known."""
    page = page_paragraphs(tree)
    paragraphs = recover_split_body(tree, extract_body(tree, raw.url), page)
    declared_body = data.article.get("articleBody") if data.article else None
    structured = as_text(declared_body)
    structured_paragraphs: list[str] = []
    if structured:
        # The string as declared keeps its line breaks, which as_text() folds away; they mark paragraphs.
        text = declared_body if isinstance(declared_body, str) else structured
        structured_paragraphs = split_article_body(text)
    found = sum(len(p) for p in paragraphs)
    declared = sum(len(p) for p in structured_paragraphs)
    if structured_paragraphs and found < _BODY_RECALL_FLOOR * declared:
        raw.body, raw.body_source = structured_paragraphs, "jsonld"
    else:
        names = [name for candidate in raw.authors for name in candidate.value]
        titles = [candidate.value for candidate in raw.title]
        raw.body, raw.body_source = trim_edges(paragraphs, names, titles), "dom"
    root = content_root(tree, paragraphs, page)
    return root if isinstance(root, HtmlElement) else None


def _place_organisation_bylines(raw: RawArticle, deferred: list[Candidate[list[str]]]) -> None:
    """Organisation bylines from JSON-LD rank after the other structured sources, before DOM guesses,
    so that a person named in a meta tag wins; unless those sources only name the outlet themselves."""
    own_names = [name.casefold() for candidate in deferred for name in candidate.value]
    own_names += [candidate.value.casefold() for candidate in raw.site_name]
    structured = [candidate for candidate in raw.authors if candidate.source != "dom"]
    names_outlet = any(
        own in name.casefold()
        for candidate in structured
        for name in candidate.value
        for own in own_names
        if own
    )
    position = 0 if names_outlet else len(structured)
    for candidate in deferred:
        if all(existing.value != candidate.value for existing in raw.authors):
            raw.authors.insert(position, candidate)
            position += 1


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
    fetched = fetched_at or datetime.now(UTC)
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=UTC)
    raw = RawArticle(url=url, fetched_at=fetched.astimezone(UTC), entry=entry)
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
    _guarded(lambda: add_candidate(raw.published, date_from_url(url), "url"), "url", url)
    if entry is not None:
        _guarded(lambda: _fill_entry(raw, entry), "entry", url)
    _guarded(lambda: _place_organisation_bylines(raw, deferred_authors), "authors", url)
    story: list[HtmlElement] = []

    def body() -> None:
        root = _fill_body(raw, tree, data)
        if root is not None:
            story.append(root)

    _guarded(body, "body", url)
    _guarded(
        lambda: raw.images.extend(collect_images(tree, url, data, metas, entry, story[0] if story else None)),
        "images",
        url,
    )
    return raw
