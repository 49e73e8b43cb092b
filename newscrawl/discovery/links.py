"""Links on an HTML page (anchors, feed autodiscovery) and the rule that tells article URLs from the rest."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser
from w3lib.html import strip_html5_whitespace

from newscrawl.sites.spec import SiteSpec

UrlKind = Literal["article", "listing", "other"]

_HTTP_SCHEMES = ("http://", "https://")
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json"})
# Comment feeds list comments, whose links are article URLs with fragments: duplicates at best.
_COMMENT_FEED = re.compile(r"comments?(?:/feed|[-_]?feed|[-_]?rss)|/feed/.*comments", re.IGNORECASE)


def is_http_url(url: str) -> bool:
    return url[:8].lower().startswith(_HTTP_SCHEMES) and len(url) > 8


#: A page as bytes or text, or already parsed by :func:`parse_page` (a listing is read for feeds and links).
PageInput = bytes | str | LexborHTMLParser


def parse_page(html: bytes | str) -> LexborHTMLParser:
    """The page parsed once, for :func:`page_links` and :func:`feed_links` to share."""
    return LexborHTMLParser(html)


def _parse(html: PageInput) -> LexborHTMLParser:
    return html if isinstance(html, LexborHTMLParser) else LexborHTMLParser(html)


def _document_base(tree: LexborHTMLParser, page_url: str) -> str:
    # <base href> may itself be relative: it resolves against the page URL (HTML spec, "document base URL").
    base = tree.css_first("base[href]")
    href = base.attributes.get("href") if base is not None else None
    return urljoin(page_url, strip_html5_whitespace(href)) if href else page_url


def page_links(html: PageInput, base_url: str) -> list[str]:
    """Every ``a[href]`` as an absolute http(s) URL without fragment, de-duplicated in page order."""
    tree = _parse(html)
    base = _document_base(tree, base_url)
    links: dict[str, None] = {}
    for anchor in tree.css("a[href]"):
        href = anchor.attributes.get("href")
        if not href:
            continue
        href = strip_html5_whitespace(href)
        # "#top" and the like point into this very page; javascript:/mailto:/tel: fail the scheme test below.
        if not href or href.startswith("#"):
            continue
        url = urljoin(base, href).partition("#")[0]
        if is_http_url(url):
            links.setdefault(url, None)
    return list(links)


def feed_links(html: PageInput, base_url: str) -> list[str]:
    """Feeds the page announces: ``<link rel="alternate" type="application/rss+xml|atom+xml|feed+json">``."""
    tree = _parse(html)
    base = _document_base(tree, base_url)
    feeds: dict[str, None] = {}
    for link in tree.css("link[href]"):
        attributes = link.attributes
        rel_values = (attributes.get("rel") or "").lower().split()
        mime = (attributes.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in rel_values or mime not in _FEED_TYPES:
            continue
        href = strip_html5_whitespace(attributes.get("href") or "")
        if not href or _COMMENT_FEED.search(href) or _COMMENT_FEED.search(attributes.get("title") or ""):
            continue
        url = urljoin(base, href).partition("#")[0]
        if is_http_url(url):
            feeds.setdefault(url, None)
    return list(feeds)


# ---- classify_url --------------------------------------------------------------------------------------
#
# The generic rule, applied to the lower-cased path (and the query where it says so), first match wins:
#   1. "other"   for non-http URLs, assets, feeds, account/search pages, service and legal pages, share
#                links and pagination beyond page 2: never worth fetching as article or listing;
#   2. "listing" for taxonomy pages (tag, topic, category, author, section + one name) and dated archives;
#   3. "article" for a date followed by more path, a long slug, a numeric id with a word beside it, an
#                opaque id after an article-ish segment, or a CMS id parameter;
#   4. "listing" for short paths made of plain words (/, /world/, /section/politics/) and pages 1-2;
#   5. "other"   for everything else.

# Files that are never pages: images, styles, scripts, documents, media, archives, data.
_ASSET = re.compile(
    r"\.(?:jpe?g|png|gif|webp|avif|svg|ico|bmp|tiff?|css|js|mjs|map|json|xml|rss|atom|txt|pdf|docx?|xlsx?|"
    r"pptx?|zip|gz|tgz|rar|7z|mp[34]|m4[av]|webm|ogg|wav|mov|avi|woff2?|ttf|eot|ics|vcf)$"
)
# Feed endpoints: WordPress /feed/, /rss, /atom, and "~rss2" or "-rss" suffixes.
_FEED_PATH = re.compile(r"(?:^|/)(?:feeds?|rss|rss2|atom)(?:/|$)|~rss\d?\b|[-_./](?:rss|atom)\d?$")
# Account, search and checkout pages: never news, wherever they sit in the path.
_ACCOUNT_SEGMENT = re.compile(
    r"(?:^|/)(?:login|logout|log-in|signin|sign-in|signup|sign-up|register|registration|account|my-account|"
    r"myaccount|password|search|suche|recherche|buscar|busca|cerca|subscribe|cart|checkout|wp-admin|"
    r"wp-login\.php)(?:/|$)"
)
# Service and legal pages: "other" only as the first segment (after an optional language prefix) or as
# the last one, because the same words also name news sections ("/business/jobs/unemployment-rises-...").
_SERVICE_WORDS = (
    r"(?:privacy|privacy-policy|datenschutz|cookies?|cookie-policy|terms|terms-of-use|terms-of-service|"
    r"terms-and-conditions|impressum|imprint|legal|agb|contact|contact-us|kontakt|about|about-us|ueber-uns|"
    r"jobs|careers|advertise|werbung|profile|user|users|subscription|subscriptions|abo|abonnement|"
    r"abonnieren|newsletters?|shop)"
)
_SERVICE_PAGE = re.compile(rf"^/(?:[a-z]{{2}}(?:-[a-z]{{2}})?/)?{_SERVICE_WORDS}(?:/|$)|/{_SERVICE_WORDS}/?$")
# Query strings of site search and of share/print/reply actions.
_UTILITY_QUERY = re.compile(r"(?:^|&)(?:s|q|query|search|searchterm|share|print|replytocom)(?:=|&|$)")
# Share endpoints of social networks and of CMS share buttons.
_SHARE_PATH = re.compile(r"(?:^|/)(?:share|sharer|sharer\.php|intent/tweet|sharearticle)(?:/|$|\.)")
# Pagination as a path part (/page/3/, /seite-3) or a parameter (?page=3); the number is group 1.
_PAGE_PATH = re.compile(r"(?:^|/)(?:page|seite|pagina)[-/_]?(\d{1,4})/?$")
_PAGE_QUERY = re.compile(r"(?:^|&)(?:page|paged|seite|pagina|pg)=(\d{1,4})(?:&|$)")
_MAX_LISTING_PAGE = 2
# Taxonomy pages list the articles of one name: /tag/x/, /de/topic/x, /author/jane-doe/.
_TAXONOMY = re.compile(
    r"^/(?:[^/]+/)?(?:tags?|topics?|themen?|thema|category|categories|kategorie|author|authors|autor|autoren|"
    r"person|people|keyword|keywords|schlagwort|stichwort|section|sections|ressort|series|dossier|label)"
    r"/[^/]+/?$"
)
# A date in the path: /2023/03/21/, /2023/03/, /2024/feb/24/, /2024/0424/, /2023-04/28/, /20230321/ or
# 20250202 inside a segment. Group "rest"/"rest8" is what follows it: a date that ends the path as a
# segment of its own is an archive page; one that ends a slug ("...-du-pays-20241122") is an article's.
_MONTH = r"(?:0?[1-9]|1[0-2]|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_DATE = re.compile(
    rf"/(?:19|20)\d\d(?:/{_MONTH}(?:/{_DAY})?|/(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    rf"|-(?:0[1-9]|1[0-2])(?:-{_DAY})?(?=/))(?=/|$)(?P<rest>.*)$"
    rf"|(?P<lead8>.)(?<!\d)(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)(?P<rest8>.*)$"
)
# An article slug: the last segment, extension dropped, has four or more words, or three beside a page
# extension or a number ("feather-duvet-lung.html", "rentenalter-erhoehung-100.html").
_SLUG_SEPARATOR = re.compile(r"[-_.,+~]+")
_WORD = re.compile(r"[^\W\d_]{2,}|[^\W\d_]+\d+[^\W\d_]*")
_PAGE_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cms)$")
_MIN_SLUG_WORDS = 4
_MIN_MARKED_SLUG_WORDS = 3
_NUMBER_TOKEN = re.compile(r"\d+")
# A content id: six or more digits standing on their own (not inside a longer alphanumeric token).
_NUMERIC_ID = re.compile(r"(?<![0-9a-z])\d{6,}(?![0-9])")
# Segments after which one opaque id names one article (/articles/clymn8zyrp9o, /doc/7715044, /a/12345).
_ARTICLE_MARKER = re.compile(
    r"(?:^|/)(?:a|p|n|article|articles|artikel|story|stories|doc|docs|news|post|posts|item|items|content|"
    r"cnt|view|detail|details|beitrag|meldung|nachricht|noticia|notizia|actualite)/(?P<id>[^/]+)/?$"
)
_OPAQUE_ID = re.compile(r"^(?=[^/]*\d)[a-z0-9][a-z0-9._-]{4,}$")
# After these segments even a two-word slug is one article (/article/best-gadgets/); "news" is not among
# them because /news/uk-news/ is a section.
_STORY_MARKER = re.compile(r"(?:^|/)(?:article|articles|artikel|story|stories|post|posts|beitrag)/[^/]+/?$")
_MIN_STORY_SLUG_WORDS = 2
# Query ids of classic CMSs: ?p=123 (WordPress), ?id=123456, ?idx=8576, ?articleid=...
_QUERY_ID = re.compile(
    r"(?:^|&)(?:p|id|idx|nid|aid|sid|newsid|articleid|article_id|story|storyid)=\d{3,}(?:&|$)"
)
# A listing path is short and made of plain words: /, /world/, /section/politics/, /news/uk-news/.
_LISTING_SEGMENT = r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+){0,2}"
_LISTING_PATH = re.compile(
    rf"^/(?:{_LISTING_SEGMENT}(?:/{_LISTING_SEGMENT}){{0,3}}/?)?(?:(?:index|default)\.\w+)?$"
)


def classify_url(url: str, site: SiteSpec | None = None) -> UrlKind:
    """ "article", "listing" or "other": by the site's patterns when it has them, else by the generic rule.

    A match of ``site.exclude_patterns`` is "other"; with ``site.article_patterns`` a match is "article"
    and a non-match can only be "listing" (by the generic listing rules) or "other".
    """
    if not is_http_url(url):
        return "other"
    parts = urlsplit(url)
    path = parts.path or "/"
    query = parts.query
    if site is not None:
        target = f"{path}?{query}" if query else path
        if any(regex.search(target) for regex in site.exclude_regexes):
            return "other"
        if site.article_regexes:
            if any(regex.search(target) for regex in site.article_regexes):
                return "article"
            return "listing" if _generic_kind(path.lower(), query.lower()) == "listing" else "other"
    return _generic_kind(path.lower(), query.lower())


def _generic_kind(path: str, query: str) -> UrlKind:
    page = _page_number(path, query)
    if _is_other(path, query) or (page is not None and page > _MAX_LISTING_PAGE):
        return "other"
    if _TAXONOMY.search(path):
        return "listing"
    date = _DATE.search(path)
    if date is not None:
        if date.group("rest") is not None:
            return "article" if date.group("rest").strip("/") else "listing"
        return "article" if date.group("rest8").strip("/") or date.group("lead8") != "/" else "listing"
    if _looks_like_article(path, query):
        return "article"
    if _LISTING_PATH.match(path) or page is not None:
        return "listing"
    return "other"


def _is_other(path: str, query: str) -> bool:
    return bool(
        _ASSET.search(path)
        or _FEED_PATH.search(path)
        or _ACCOUNT_SEGMENT.search(path)
        or _SERVICE_PAGE.search(path)
        or _SHARE_PATH.search(path)
        or _UTILITY_QUERY.search(query)
    )


def _page_number(path: str, query: str) -> int | None:
    match = _PAGE_PATH.search(path) or _PAGE_QUERY.search(query)
    return int(match.group(1)) if match else None


def _looks_like_article(path: str, query: str) -> bool:
    segments = [segment for segment in path.split("/") if segment]
    if not segments:
        return bool(_QUERY_ID.search(query))
    last = _PAGE_EXTENSION.sub("", segments[-1])
    tokens = _SLUG_SEPARATOR.split(last)
    words = sum(1 for token in tokens if _WORD.fullmatch(token))
    if words >= _MIN_SLUG_WORDS:
        return True
    marked = last != segments[-1] or any(_NUMBER_TOKEN.fullmatch(token) for token in tokens)
    if marked and words >= _MIN_MARKED_SLUG_WORDS:
        return True
    if _STORY_MARKER.search(path) and words >= _MIN_STORY_SLUG_WORDS:
        return True
    # An id alone could be a section number; beside a word (slug or section name) it names one article.
    if _NUMERIC_ID.search(path) and any(_WORD.search(segment) for segment in segments):
        return True
    marker = _ARTICLE_MARKER.search(path)
    if marker is not None and _OPAQUE_ID.match(_PAGE_EXTENSION.sub("", marker.group("id"))):
        return True
    return bool(_QUERY_ID.search(query))
