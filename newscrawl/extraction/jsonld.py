"""Read schema.org JSON-LD blocks, tolerating the broken JSON real pages ship, and pick the article node."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from newscrawl.extraction.document import squash, unescape

_JSONLD_SCRIPTS = etree.XPath(
    "//script[contains(translate(@type, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),"
    " 'ld+json')]"
)
_HTML_COMMENT = re.compile(r"<!--|-->")
_CDATA = re.compile(r"/\*\s*<!\[CDATA\[\s*\*/|/\*\s*\]\]>\s*\*/|<!\[CDATA\[|\]\]>")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_LINE_COMMENT = re.compile(r"^\s*//[^\n]*$", re.MULTILINE)

#: Node types that hold a news article (lower case); WebPage only as a last resort.
ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "blogposting",
        "liveblogposting",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "satiricalarticle",
        "scholarlyarticle",
        "techarticle",
        "report",
        "socialmediaposting",
        "discussionforumposting",
        "medicalscholarlyarticle",
        "advertisercontentarticle",
    }
)
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "aboutpage", "medicalwebpage"})
_PERSON_TYPES = frozenset({"person"})
_ORGANISATION_TYPES = frozenset(
    {"organization", "newsmediaorganization", "corporation", "ngo", "newsorganization"}
)


def _loads_tolerant(text: str) -> list[Any]:
    """Every JSON value in one script block; repairs comments, CDATA and trailing commas; [] if hopeless."""
    text = text.strip()
    if not text:
        return []
    attempts = (
        text,
        _TRAILING_COMMA.sub(r"\1", _LINE_COMMENT.sub("", _CDATA.sub("", _HTML_COMMENT.sub("", text)))),
    )
    for attempt in attempts:
        try:
            # strict=False accepts raw control characters (newlines, tabs) inside strings.
            return [json.loads(attempt, strict=False)]
        except ValueError:
            pass
    # Several objects back to back, or junk after the first one: keep what decodes.
    values: list[Any] = []
    decoder = json.JSONDecoder(strict=False)
    position, cleaned = 0, attempts[1]
    while position < len(cleaned):
        start = cleaned.find("{", position)
        if start < 0:
            break
        try:
            value, position = decoder.raw_decode(cleaned, start)
        except ValueError:
            break
        values.append(value)
    return values


def node_types(node: dict[str, Any]) -> set[str]:
    """The node's ``@type`` values, lower case, without a schema.org prefix."""
    raw = node.get("@type")
    types = raw if isinstance(raw, list) else [raw]
    return {t.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for t in types if isinstance(t, str)}


@dataclass
class JsonLdData:
    """All nodes of a page's JSON-LD, an ``@id`` index, and the node that describes the article."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    article: dict[str, Any] | None = None
    page: dict[str, Any] | None = None

    def resolve(self, value: Any) -> Any:
        """Follow an ``{"@id": ...}`` reference to the full node when the page defines it."""
        if isinstance(value, dict) and "@id" in value and len(value) <= 2:
            target = self.by_id.get(str(value["@id"]))
            if target is not None:
                return target
        return value

    def iter_values(self, value: Any) -> Iterator[Any]:
        """A property's values as a flat sequence, references resolved."""
        if value is None:
            return
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, list):
                yield from self.iter_values(item)
            else:
                yield self.resolve(item)

    def of_type(self, types: frozenset[str]) -> Iterator[dict[str, Any]]:
        return (node for node in self.nodes if node_types(node) & types)


def _walk(value: Any, out: list[tuple[dict[str, Any], int]], depth: int = 0) -> None:
    """Every object in the JSON, with its nesting depth counted in objects (lists and @graph are free)."""
    if depth > 12:  # pathological nesting would only cost time
        return
    if isinstance(value, list):
        for item in value:
            _walk(item, out, depth)
    elif isinstance(value, dict):
        out.append((value, depth))
        for key, item in value.items():
            if key == "@graph":
                _walk(item, out, depth)
            elif isinstance(item, (dict, list)) and key != "@context":
                _walk(item, out, depth + 1)


def _article_score(node: dict[str, Any]) -> int:
    # Prefer the node that actually carries the article's fields over teasers of related articles.
    score = sum(1 for key in ("headline", "datePublished", "author", "articleBody", "image") if node.get(key))
    if node.get("articleBody"):
        score += 2
    return score


def read_jsonld(tree: etree._Element) -> JsonLdData:
    """Collect every JSON-LD node of the page and choose the article node (None when the page has none)."""
    data = JsonLdData()
    top_level: list[Any] = []
    for script in _JSONLD_SCRIPTS(tree):
        top_level.extend(_loads_tolerant(script.text or ""))
    walked: list[tuple[dict[str, Any], int]] = []
    _walk(top_level, walked)
    data.nodes = [node for node, _ in walked]
    for node in data.nodes:
        node_id = node.get("@id")
        if isinstance(node_id, str) and len(node) > 2:
            data.by_id.setdefault(node_id, node)
    best: tuple[int, int, int] | None = None
    for position, (node, depth) in enumerate(walked):
        types = node_types(node)
        if types & ARTICLE_TYPES:
            # A top-level node is the page's own article; nested ones are live-blog updates or teasers.
            rank = (-min(depth, 1), _article_score(node), -position)
            if best is None or rank > best:
                best, data.article = rank, node
        elif types & _PAGE_TYPES and data.page is None:
            data.page = node
    page = data.page
    if data.article is None and page is not None and (page.get("headline") or page.get("author")):
        data.article = page
    return data


def as_text(value: Any) -> str | None:
    """A scalar property as text: strings, numbers, ``{"@value"}`` / ``{"name"}`` objects."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("text")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        text = squash(unescape(value) if "&" in value else value)
        return text or None
    return None


def names_of(data: JsonLdData, value: Any) -> list[str]:
    """Person/organisation names of an ``author``-like property, in order."""
    names: list[str] = []
    for item in data.iter_values(value):
        if isinstance(item, dict):
            name = as_text(item.get("name"))
            if not name and (item.get("givenName") or item.get("familyName")):
                given, family = as_text(item.get("givenName")) or "", as_text(item.get("familyName")) or ""
                name = squash(f"{given} {family}")
            if name:
                names.append(name)
        elif isinstance(item, str) and squash(item) and not item.startswith(("http://", "https://")):
            names.append(squash(item))
    return names


def is_person(data: JsonLdData, value: Any) -> bool:
    return any(
        isinstance(item, dict) and node_types(item) & _PERSON_TYPES for item in data.iter_values(value)
    )


def is_organisation(data: JsonLdData, value: Any) -> bool:
    return any(
        isinstance(item, dict) and node_types(item) & _ORGANISATION_TYPES for item in data.iter_values(value)
    )
