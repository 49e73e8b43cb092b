"""The article body as paragraphs in reading order, from trafilatura's main-content extraction."""

from __future__ import annotations

import logging

from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction

from newscrawl.extraction.document import squash

logger = logging.getLogger(__name__)

# Figure captions sit inside the article container, so trafilatura keeps them as paragraphs;
# images carry them instead, so they are pruned before the body is extracted.
_PRUNE_XPATHS = ["//figcaption"]
# trafilatura's output vocabulary (p, head, list/item, quote, table/row/cell...) plus the raw HTML it
# passes through when its fallback extractors win: these elements start a new paragraph.
_BLOCKS = frozenset(
    {
        "p", "head", "h1", "h2", "h3", "h4", "h5", "h6", "list", "item", "ul", "ol", "li", "dl", "dt", "dd",
        "quote", "blockquote", "table", "row", "tr", "cell", "td", "th", "code", "pre", "div", "section",
        "article", "main", "body", "header", "footer", "aside", "figure", "form", "details", "summary",
    }
)
_ROWS = frozenset({"row", "tr"})
_LINKS = frozenset({"ref", "a"})
_LINE_BREAKS = frozenset({"lb", "br"})
_SKIPPED = frozenset({"graphic", "img", "script", "style", "noscript"})
#: A block whose text is mostly link text is a list of related stories or navigation, not prose.
LINK_DENSITY_MAX = 0.7
# Marks an explicit line break; source newlines are mere whitespace in HTML.
_BREAK = "\x00"


class _Collector:
    """Turns trafilatura's output tree into plain paragraphs, dropping link-dominated blocks."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._parts: list[str] = []
        self._linked = 0

    def flush(self) -> None:
        text = "".join(self._parts) if self._parts else ""
        # Line breaks inside one block separate items that were printed as lines (dateline, caption).
        lines = [squash(line) for line in text.split(_BREAK)]
        total = sum(len(line) for line in lines)
        if total and self._linked / total < LINK_DENSITY_MAX:
            self.paragraphs.extend(line for line in lines if line)
        self._parts, self._linked = [], 0

    def inline(self, element: etree._Element, in_link: bool = False) -> None:
        """Text of an inline element and its descendants, into the current paragraph."""
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            return
        if tag in _LINE_BREAKS:
            self._parts.append(_BREAK)
            return
        linked = in_link or tag in _LINKS
        if element.text:
            self._parts.append(element.text)
            if linked:
                self._linked += len(squash(element.text))
        for child in element:
            self.inline(child, linked)
            if child.tail:
                self._parts.append(child.tail)
                if linked:
                    self._linked += len(squash(child.tail))

    def block(self, element: etree._Element) -> None:
        """A block element: its own inline runs become paragraphs, block children recurse."""
        self.flush()
        if element.tag in _ROWS:
            cells = [squash("".join(cell.itertext())) for cell in element if isinstance(cell.tag, str)]
            self._parts = [" ".join(cell for cell in cells if cell)]
            self._linked = sum(len(squash("".join(a.itertext()))) for a in element.iter(*_LINKS))
            self.flush()
            return
        if element.text:
            self._parts.append(element.text)
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag in _BLOCKS:
                self.block(child)
            elif isinstance(tag, str) and tag not in _SKIPPED:
                self.inline(child)
            if child.tail:
                self._parts.append(child.tail)
        self.flush()


def paragraphs_of(body: etree._Element) -> list[str]:
    """Paragraph texts of an extracted body tree, in reading order."""
    collector = _Collector()
    collector.block(body)
    return collector.paragraphs


def extract_body(tree: HtmlElement, url: str) -> list[str]:
    """Main-content paragraphs of the page (intertitles included); [] when trafilatura finds none.

    trafilatura copies a tree it is given, so the shared tree stays intact for the other fields.
    """
    try:
        document = bare_extraction(
            tree,
            url=url,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_formatting=False,
            # Links are kept only to measure each block's link density; their targets are not exported.
            include_links=True,
            with_metadata=False,
            prune_xpath=_PRUNE_XPATHS,
        )
    except (ValueError, TypeError, AttributeError, etree.LxmlError) as error:
        # trafilatura raises on odd trees in rare cases; the body then falls back to other sources.
        logger.debug("trafilatura failed on %s: %s", url, error)
        return []
    if document is None or document.body is None:
        return []
    return paragraphs_of(document.body)


def split_article_body(text: str) -> list[str]:
    """JSON-LD ``articleBody`` as paragraphs: split on line breaks, blanks dropped."""
    return [line for line in (squash(part) for part in text.splitlines()) if line]
