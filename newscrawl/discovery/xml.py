"""The one hardened XML parse behind sitemaps and feeds (no entities, no network, gzip with a size cap),
and the text and URL readers both share."""

from __future__ import annotations

import html
import re
import zlib
from urllib.parse import urljoin

from lxml import etree

from newscrawl.discovery.errors import DiscoveryError

GZIP_MAGIC = b"\x1f\x8b"

#: The sitemap protocol caps an uncompressed sitemap at 50 MiB; anything larger is a bomb or a mistake.
DEFAULT_MAX_DECOMPRESSED = 50 * 1024 * 1024

# Inflate in slices so a gzip bomb is stopped after at most one slice beyond the cap, never fully expanded.
_INFLATE_SLICE = 1024 * 1024

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Any "&" that does not start one of XML's five predefined entities or a character reference is escaped:
# - a bare "&" (common in sitemap query strings) is an error that libxml2's recovery "fixes" by dropping
#   the "&name" after it: "?a=1&b=2" became "?a=1=2";
# - a reference to a declared entity (billion laughs) makes libxml2 cut the document at its amplification
#   limit even with resolve_entities=False, losing every entry after it. Kept as literal text instead.
# CDATA sections are matched first and left alone: their "&" is literal text already.
_UNSAFE_AMPERSAND = re.compile(
    rb"(<!\[CDATA\[.*?\]\]>)|&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#[xX][0-9a-fA-F]+);)", re.DOTALL
)
# Sitemaps and feeds need no DTD. Removing the DOCTYPE (and its internal subset of entity declarations)
# before parsing means nothing a document declares can be expanded or fetched, whatever the parser does.
_DOCTYPE = re.compile(rb"<!DOCTYPE(?:[^\[>]|\[.*?\]\s*)*>", re.DOTALL | re.IGNORECASE)
# The root element is the first "<" followed by a letter; a DOCTYPE can only come before it.
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
# An absolute http(s) URL with a host: what a sitemap or feed entry must resolve to.
HTTP_URL = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)

# One parser for every document. Entities stay unexpanded (billion laughs), the DTD is never loaded and
# nothing is fetched (XXE), huge_tree stays off (libxml2's depth and text-size limits hold), and recover=True
# because real sitemaps and feeds are often slightly broken (a stray "&", a truncated download).
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    recover=True,
    remove_comments=True,
    remove_pis=True,
)


def _escape_ampersand(match: re.Match[bytes]) -> bytes:
    return match.group(1) or b"&amp;"


def is_gzip(body: bytes) -> bool:
    return body[:2] == GZIP_MAGIC


def gunzip(body: bytes, *, max_size: int = DEFAULT_MAX_DECOMPRESSED) -> bytes:
    """Decompress gzip ``body`` (several members allowed), raising DiscoveryError beyond ``max_size`` bytes.

    A truncated stream yields what was decompressed so far: a cut-off download still carries entries,
    and the recovering XML parser keeps those that are complete.
    """
    chunks: list[bytes] = []
    total = 0
    data = body
    while data:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        pending = data
        while pending:
            try:
                out = inflater.decompress(pending, _INFLATE_SLICE)
            except zlib.error as exc:
                if total:
                    return b"".join(chunks)
                raise DiscoveryError(f"corrupt gzip data: {exc}") from exc
            total += len(out)
            if total > max_size:
                raise DiscoveryError(f"gzip body decompresses to more than {max_size} bytes; refusing it")
            chunks.append(out)
            pending = inflater.unconsumed_tail
            if not out and not pending:
                break
        if not inflater.eof:
            break  # truncated member: keep what we have
        # Concatenated gzip members are legal; anything else after the stream (padding) is ignored.
        data = inflater.unused_data if inflater.unused_data[:2] == GZIP_MAGIC else b""
    return b"".join(chunks)


def gunzip_head(body: bytes, size: int = 8192) -> bytes:
    """The first ``size`` decompressed bytes of gzip ``body``; cheap even for a bomb. Empty if unreadable."""
    try:
        return zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(body, size)
    except zlib.error:
        return b""


def decompressed(body: bytes, *, max_size: int = DEFAULT_MAX_DECOMPRESSED) -> bytes:
    """``body`` itself, or its decompressed content when it starts with the gzip magic bytes."""
    return gunzip(body, max_size=max_size) if is_gzip(body) else body


def parse_xml(body: bytes, *, max_size: int = DEFAULT_MAX_DECOMPRESSED) -> etree._Element:
    """Parse ``body`` (gzip detected by magic bytes) safely; DiscoveryError if no element can be recovered."""
    data = decompressed(body, max_size=max_size)
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    # Whitespace before the XML declaration is a fatal error to libxml2 and common after templating.
    data = data.lstrip()
    if not data:
        raise DiscoveryError("empty XML document")
    # Byte-level escaping is only safe in ASCII-compatible encodings; UTF-16 keeps its bytes as they are.
    if not data.startswith(_UTF16_BOMS) and b"\x00" not in data[:64]:
        root_start = _FIRST_ELEMENT.search(data)
        prolog_end = root_start.start() if root_start else len(data)
        data = _DOCTYPE.sub(b"", data[:prolog_end]) + data[prolog_end:]
        data = _UNSAFE_AMPERSAND.sub(_escape_ampersand, data)
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"unreadable XML: {exc}") from exc
    if root is None:
        raise DiscoveryError("unreadable XML: no element could be recovered")
    return root


def local_name(element: etree._Element) -> str:
    """The tag without its namespace, lower case: sites use wrong or odd namespace URIs, so match by name."""
    tag = element.tag
    if not isinstance(tag, str):  # comments, entity references
        return ""
    return tag.rpartition("}")[2].rpartition(":")[2].lower()


def text_of(element: etree._Element) -> str | None:
    """All text inside ``element`` (CDATA included), trimmed; None when blank."""
    text = "".join(element.itertext()).strip()
    return text or None


def clean_text(element: etree._Element | None) -> str | None:
    """Human-readable text of ``element``, whitespace folded; None when missing or blank.

    Undeclared HTML entities (&nbsp;, &eacute;) survive the entity-free parse as "&name;" text, and feeds
    often double-escape ("&amp;amp;"): one HTML unescape repairs both.
    """
    if element is None:
        return None
    text = text_of(element)
    if text is None:
        return None
    return " ".join(html.unescape(text).split()) or None


def absolute_http_url(raw: str | None, base_url: str) -> str | None:
    """``raw`` (a sitemap ``loc``, a feed link) resolved against ``base_url``; None unless http(s) with a host."""
    if not raw:
        return None
    url = urljoin(base_url, raw.strip())
    return url if HTTP_URL.match(url) else None
