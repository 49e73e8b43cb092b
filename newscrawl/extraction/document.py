"""Parse an HTML page once into an lxml tree that every field extractor and trafilatura share."""

from __future__ import annotations

import codecs
import html
import re

from lxml import etree
from lxml.html import HtmlElement, HTMLParser

# Comments and processing instructions are dropped at parse time, as trafilatura's own loader does,
# so trafilatura sees the same tree it would build itself.
_PARSER = HTMLParser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
# libxml2 keeps characters that XML forbids, and lxml then refuses to set them back as text (trafilatura
# does); they carry no text anyway.
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A regex scan of a whole page costs ~0.2 ms; deleting the control bytes from its UTF-8 and comparing
# lengths costs a sixth of that, so the scan runs only on the rare page that holds one.
_INVALID_XML_BYTES = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))
_NONCHARACTERS = ("\ufffe", "\uffff")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")
_ARTICLE_CONTAINERS = etree.XPath("//article | //main | //*[@role='main']")


class UnparsableHTML(ValueError):
    """The input holds no HTML document that lxml can build a tree from."""


def decode_html(data: bytes, encoding: str | None = None) -> str:
    """Decode page bytes: BOM, else the given encoding, else ``<meta charset>``, else UTF-8, else cp1252."""
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(bom_encoding, errors="replace")
    candidates: list[str] = []
    if encoding:
        candidates.append(encoding)
    match = _META_CHARSET.search(data[:8192])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for candidate in candidates:
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    # cp1252 maps almost every byte, so legacy Western pages keep their accents instead of U+FFFD.
    return data.decode("cp1252", errors="replace")


def _has_invalid_xml_chars(text: str, data: bytes) -> bool:
    """Whether ``text`` (``data`` in UTF-8) holds a character XML forbids."""
    if len(data.translate(None, _INVALID_XML_BYTES)) != len(data):
        return True
    # isascii() is a flag lookup; single-character searches run at memchr speed.
    return not text.isascii() and any(noncharacter in text for noncharacter in _NONCHARACTERS)


def parse_html(html: str | bytes, encoding: str | None = None) -> HtmlElement:
    """Build the page's tree; raise :class:`UnparsableHTML` when there is nothing to build."""
    text = decode_html(html, encoding) if isinstance(html, bytes) else html
    if not text.strip():
        raise UnparsableHTML("empty document")
    data = text.encode("utf-8", "surrogatepass")
    if _has_invalid_xml_chars(text, data):
        text = _INVALID_XML_CHARS.sub("", text)
        if not text.strip():
            raise UnparsableHTML("empty document")
        data = text.encode("utf-8", "surrogatepass")
    try:
        tree = etree.fromstring(data, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise UnparsableHTML(str(error)) from error
    if tree is None:
        raise UnparsableHTML("no root element")
    root: HtmlElement = tree.getroottree().getroot()
    return root


# str.split() splits on exactly the characters re's \s matches (str.isspace()), at a third of the cost.
def text_of(element: etree._Element) -> str:
    """The element's visible text with whitespace runs folded to one space."""
    return " ".join("".join(element.itertext()).split())


def squash(text: str | None) -> str:
    """Whitespace runs folded to one space, ends trimmed; ``None`` becomes ``""``."""
    return " ".join(text.split()) if text else ""


def unescape(text: str) -> str:
    """Decode HTML entities that CMSs escape twice into JSON-LD and meta content (``&amp;#039;``)."""
    while _ENTITY.search(text):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def main_container(tree: etree._Element) -> HtmlElement | None:
    """The ``<article>`` / ``<main>`` / ``role=main`` element with the most text, the story's own (the others
    hold teasers of other stories); None when the page has none."""
    containers: list[HtmlElement] = _ARTICLE_CONTAINERS(tree)
    return max(containers, key=lambda element: len(element.text_content())) if containers else None
