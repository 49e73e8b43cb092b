"""The article body as paragraphs in reading order, from trafilatura's main-content extraction."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from copy import copy

from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import Extractor

from newscrawl.extraction.document import squash, text_of

logger = logging.getLogger(__name__)

# trafilatura deletes these elements itself (its tree cleaning, and the basic cleaning of its baseline and
# page-length measure), but only after two raw-tree prunes that run a Python regex callback per element
# and after copying the tree twice: on news pages navigation, sidebars, footers and inline SVG are half the
# elements. Stripping them first from the one copy trafilatura gets halves its time (3.0 -> 1.8 ms a page)
# and left every body of the evaluation sets and the generated site unchanged.
# Figure captions sit inside the article container, so trafilatura would keep them as paragraphs;
# images carry them instead, so they go too.
# (Pruning sign-up boxes by class name was measured: +0.0003 AEB F1 for 3 ms per page; not kept.)
_STRIPPED_BEFORE_TRAFILATURA = (
    "figcaption",
    "nav",
    "aside",
    "footer",
    "svg",
    "style",
    "noscript",
    "meta",
    "link",
    "iframe",
    "button",
    "input",
    "select",
    "textarea",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "picture",
)
_SCRIPT = "script"


def _trafilatura_options(*, fast: bool) -> Extractor:
    # Built once: trafilatura would otherwise read its config file's options for every call.
    # "xml" output leaves the result as the tree we walk, without the text serialisation "python" adds;
    # no URL, since link targets are never exported (links are kept only to measure link density).
    return Extractor(
        output_format="xml",
        fast=fast,
        comments=False,
        tables=True,
        images=False,
        formatting=False,
        links=True,
        with_metadata=False,
    )


_FAST_OPTIONS = _trafilatura_options(fast=True)
_CASCADE_OPTIONS = _trafilatura_options(fast=False)
MIN_FAST_CHARS = 250
_BLOB_MAX_PARAGRAPHS = 2
_BLOB_MIN_CHARS = 2000
# trafilatura's output vocabulary (p, head, list/item, quote, table/row/cell...) plus the raw HTML it
# passes through when its fallback extractors win: these elements start a new paragraph.
_BLOCKS = frozenset(
    {
        "p",
        "head",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "list",
        "item",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "quote",
        "blockquote",
        "table",
        "row",
        "tr",
        "cell",
        "td",
        "th",
        "code",
        "pre",
        "div",
        "section",
        "article",
        "main",
        "body",
        "header",
        "footer",
        "aside",
        "figure",
        "form",
        "details",
        "summary",
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
        text = "".join(self._parts)
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
            cells = [text_of(cell) for cell in element if isinstance(cell.tag, str)]
            self._parts = [" ".join(cell for cell in cells if cell)]
            self._linked = sum(len(text_of(link)) for link in element.iter(*_LINKS))
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


def trafilatura_input(tree: HtmlElement) -> HtmlElement:
    """A copy of the page without the elements trafilatura would delete anyway, nor figure captions.

    JSON-LD scripts stay: trafilatura reads them (its baseline takes ``articleBody``, and a forum page
    is recognised by its ``DiscussionForumPosting``).
    """
    thin = copy(tree)
    etree.strip_elements(thin, *_STRIPPED_BEFORE_TRAFILATURA, with_tail=False)
    for script in list(thin.iter(_SCRIPT)):
        if "json" not in (script.get("type") or "").lower():
            script.drop_tree()
    return thin


def _trafilatura_paragraphs(thin: HtmlElement, url: str, *, fast: bool) -> list[str]:
    """Paragraphs trafilatura finds in ``thin`` (from :func:`trafilatura_input`; it copies it, so the
    same input serves a second call)."""
    try:
        document = bare_extraction(thin, options=_FAST_OPTIONS if fast else _CASCADE_OPTIONS)
    except (ValueError, TypeError, AttributeError, etree.LxmlError) as error:
        # trafilatura raises on odd trees in rare cases; the body then falls back to other sources.
        logger.debug("trafilatura failed on %s: %s", url, error)
        return []
    body = getattr(document, "body", None)
    if body is None:
        return []
    return paragraphs_of(body)


def extract_body(tree: HtmlElement, url: str) -> list[str]:
    """Main-content paragraphs of the page (intertitles included); [] when trafilatura finds none.

    trafilatura's fast mode (its main extractor alone) is quicker than its full cascade and, measured on
    the evaluation sets, as good or better (AEB F1 0.969 either way at half the time; fundus body token F1
    0.963 vs 0.961). The cascade (readability/justext comparison) runs only when fast mode finds next to
    nothing, or returns one unbroken blob of page text (a layout without paragraphs, navigation and all).
    trafilatura works on a thinned copy, so the shared tree stays intact for the other fields.
    """
    thin = trafilatura_input(tree)
    paragraphs = _trafilatura_paragraphs(thin, url, fast=True)
    if sum(len(paragraph) for paragraph in paragraphs) < MIN_FAST_CHARS or _is_blob(paragraphs):
        cascade = _trafilatura_paragraphs(thin, url, fast=False)
        if sum(len(paragraph) for paragraph in cascade) >= MIN_FAST_CHARS or not paragraphs:
            paragraphs = cascade
    return paragraphs


def _is_blob(paragraphs: list[str]) -> bool:
    return 0 < len(paragraphs) <= _BLOB_MAX_PARAGRAPHS and max(map(len, paragraphs)) > _BLOB_MIN_CHARS


# Furniture printed at the edges of a story: bylines, datelines, contact lines, social "follow us" prompts.
_EDGE = 3
_MIN_NAME_CHARS = 5  # shorter "names" (initials, agency codes) match inside ordinary words
_BYLINE_START = re.compile(
    r"^(?:by|von|par|por|di|door|av|af|przez|tekst|text|written by|reporting by|от)\s*:?\s+\w", re.IGNORECASE
)
_DATELINE = re.compile(
    r"\b(?:\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d{2}|(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}"
    r"|\d{1,2}\.?\s+[^\W\d_]{3,}\.?,?\s+(?:19|20)\d{2}|[^\W\d_]{3,}\.?\s+\d{1,2},?\s+(?:19|20)\d{2}"
    r"|(?:19|20)\d{2}年\s*\d{1,2}月)"
)
_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$")
_NON_WORD = re.compile(r"\W+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_SOCIAL = re.compile(
    r"\b(?:facebook|twitter|instagram|youtube|tiktok|whatsapp|linkedin|telegram)\b", re.IGNORECASE
)
_MAX_BYLINE_WORDS = 12
_MAX_DATELINE_WORDS = 14
_MAX_CONTACT_WORDS = 45
_MAX_BIO_WORDS = 80
_MAX_DATELINE_LETTERS = 40  # letters left once the date is removed ("Published", a weekday, "Uhr")


def _is_edge_furniture(paragraph: str, names: Sequence[str]) -> bool:
    if _BARE_URL.match(paragraph):
        return True
    words = len(paragraph.split())
    if words <= _MAX_BYLINE_WORDS:
        if _BYLINE_START.match(paragraph) and words <= 8:
            return True
        if any(name in paragraph for name in names):
            return True
    if words <= _MAX_DATELINE_WORDS and _DATELINE.search(paragraph):
        # A line that is mostly a date ("Published 18 November 2019 10:02") is a dateline, not prose.
        letters = sum(character.isalpha() for character in _DATELINE.sub("", paragraph))
        if letters <= _MAX_DATELINE_LETTERS:
            return True
    # Length first: the e-mail pattern is slow on a long paragraph, and only short ones are contact lines.
    if words > _MAX_CONTACT_WORDS:
        return False
    return bool(_EMAIL.search(paragraph)) or len(_SOCIAL.findall(paragraph)) >= 2


def _is_author_bio(paragraph: str, names: Sequence[str]) -> bool:
    """A closing paragraph that opens with a credited author's name ("Jane Doe covers science for...")."""
    return len(paragraph.split()) <= _MAX_BIO_WORDS and any(paragraph.startswith(name) for name in names)


def trim_edges(paragraphs: list[str], names: Sequence[str], titles: Sequence[str] = ()) -> list[str]:
    """The body without headline repeats, bylines, datelines, bare URLs and contact/social lines at its
    edges (a list of shop links mid-story is content).

    ``names`` are the people the page credits (any source): a short edge paragraph naming one is a byline.
    ``titles`` are every headline variant the page declares (the exported title is only one of them).
    Only the edges are looked at, so a quote that names the author mid-story stays.
    """
    names = [name for name in names if len(name) >= _MIN_NAME_CHARS]
    headline_keys = {_key(title) for title in titles} - {""}
    last = len(paragraphs) - 1
    kept = []
    for position, paragraph in enumerate(paragraphs):
        at_edge = position < _EDGE or last - position < _EDGE
        if at_edge and (_key(paragraph) in headline_keys or _is_edge_furniture(paragraph, names)):
            continue
        if last - position < _EDGE and _is_author_bio(paragraph, names):
            continue
        kept.append(paragraph)
    return kept


def _key(text: str) -> str:
    return _NON_WORD.sub(" ", text.casefold()).strip()


_PARAGRAPHS = etree.XPath("//p")
_MIN_MATCHED_PARAGRAPHS = 2
_MIN_PROSE_CHARS = 80
_RECOVERED_LINK_DENSITY_MAX = 0.5
_MAX_CHUNK_DISTANCE = 3
_NOT_BODY_ANCESTORS = frozenset({"nav", "aside", "footer", "header", "form"})


def _link_share(element: etree._Element, text: str) -> float:
    linked = sum(len(text_of(link)) for link in element.iter("a"))
    return linked / len(text) if text else 1.0


def page_paragraphs(tree: HtmlElement) -> list[tuple[etree._Element, str]]:
    """Every ``<p>`` of the page with its text, computed once for the body repairs and the story root."""
    return [(element, text_of(element)) for element in _PARAGRAPHS(tree)]


def recover_split_body(
    tree: HtmlElement, paragraphs: list[str], page: list[tuple[etree._Element, str]] | None = None
) -> list[str]:
    """Add the story's other chunks when the page splits its body into several containers.

    Pages that interleave ads with the text print the body as a run of containers of one class
    (``div.article__body`` x 3); trafilatura keeps the best one. The containers that share the tag and
    class of the one holding most extracted paragraphs are the rest of the story: their paragraphs are
    merged in, in page order. (Filling gaps inside the body's own container was measured too: it brings
    back more boilerplate than prose, AEB precision -0.015.)
    """
    wanted = set(paragraphs)
    by_text: dict[str, etree._Element] = {}
    for element, text in page if page is not None else page_paragraphs(tree):
        if text in wanted:
            by_text.setdefault(text, element)
    parents = [element.getparent() for element in by_text.values()]
    parents = [parent for parent in parents if parent is not None and parent.get("class")]
    if len(parents) < _MIN_MATCHED_PARAGRAPHS:
        return paragraphs
    container = max(dict.fromkeys(parents), key=parents.count)  # ties: first in page order
    recovered: list[tuple[etree._Element, str]] = []
    # Chunks of one story sit close together: under an ancestor at most a few levels above the container.
    scope = container
    for _ in range(_MAX_CHUNK_DISTANCE):
        parent = scope.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        scope = parent
    twins = [
        element
        for element in scope.iter(container.tag)
        if element is not container
        and element.get("class") == container.get("class")
        and not any(ancestor.tag in _NOT_BODY_ANCESTORS for ancestor in element.iterancestors())
        # A sign-up box reuses the body's class but holds a form: it is a promotion, not a chunk.
        and next(element.iter("form", "input", "button"), None) is None
    ]
    for twin in twins:
        found = []
        for element in twin.iter("p"):
            text = text_of(element)
            if text and text not in wanted and _link_share(element, text) < _RECOVERED_LINK_DENSITY_MAX:
                found.append((element, text))
        if any(len(text) >= _MIN_PROSE_CHARS for _, text in found):
            recovered.extend(found)
    return _merge_in_page_order(tree, paragraphs, by_text, recovered)


def _merge_in_page_order(
    tree: HtmlElement,
    paragraphs: list[str],
    by_text: dict[str, etree._Element],
    recovered: list[tuple[etree._Element, str]],
) -> list[str]:
    if not recovered:
        return paragraphs
    order = {element: position for position, element in enumerate(tree.iter())}
    placed: list[tuple[int, int, str]] = []
    position = -1
    for sequence, paragraph in enumerate(paragraphs):
        element = by_text.get(paragraph)
        if element is not None:
            position = order.get(element, position)
        placed.append((position, sequence, paragraph))
    for element, text in recovered:
        placed.append((order.get(element, position), len(placed), text))
    placed.sort(key=lambda item: (item[0], item[1]))
    return [paragraph for _, _, paragraph in placed]


_H1 = etree.XPath("//h1")
_MAX_ROOT_SAMPLES = 12


def _common_ancestor(elements: Sequence[etree._Element]) -> etree._Element | None:
    first = elements[0]
    for candidate in (first, *first.iterancestors()):
        if all(element is candidate or candidate in element.iterancestors() for element in elements[1:]):
            return candidate
    return None


def content_root(
    tree: HtmlElement, paragraphs: Sequence[str], page: list[tuple[etree._Element, str]] | None = None
) -> etree._Element | None:
    """The element that holds the story: the nearest common ancestor of the body's paragraphs and the
    headline (the headline only when that does not widen the scope to the whole page).

    Images are looked for there: it is where the lead picture and the inline figures are printed,
    and teasers of other stories are not.
    """
    wanted = set(paragraphs)
    matched = [
        element for element, text in (page if page is not None else page_paragraphs(tree)) if text in wanted
    ]
    if not matched:
        return None
    # A sample spread over the body is enough for the common ancestor; every match would cost more.
    step = max(1, len(matched) // _MAX_ROOT_SAMPLES)
    root = _common_ancestor(matched[::step] + matched[-1:])
    if root is None:
        return None
    headings = _H1(tree)
    if headings:
        wider = _common_ancestor([root, headings[0]])
        if wider is not None and wider.tag not in ("body", "html"):
            root = wider
    return root


def split_article_body(text: str) -> list[str]:
    """JSON-LD ``articleBody`` as paragraphs: split on line breaks, blanks dropped."""
    return [line for line in (squash(part) for part in text.splitlines()) if line]
