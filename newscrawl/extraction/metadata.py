"""Fill a RawArticle's metadata fields from JSON-LD, microdata, OpenGraph, meta tags, the DOM and the URL."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from lxml import etree
from lxml.html import HtmlElement

from newscrawl.extraction.document import main_container, squash, text_of, unescape
from newscrawl.extraction.jsonld import JsonLdData, as_text, is_organisation, is_person, names_of
from newscrawl.extraction.raw import Candidate, RawArticle
from newscrawl.normalize.authors import opens_with_author_label, split_authors
from newscrawl.normalize.dates import opens_with_date_label

T = TypeVar("T")

_META = etree.XPath("//meta[@content]")
_LINK_CANONICAL = etree.XPath(
    "//link[contains(translate(@rel, 'CANONICAL', 'canonical'), 'canonical')]/@href"
)
_HTML_LANG = etree.XPath("/html/@lang | /html/@xml:lang", namespaces={"xml": "http://www.w3.org/XML/1998/namespace"})
_TITLE = etree.XPath("//head/title | /html/title")
_ITEMPROPS = etree.XPath("//*[@itemprop]")
_H1_IN_ARTICLE = etree.XPath("(//article//h1 | //main//h1 | //*[@role='main']//h1)")
_H1 = etree.XPath("//h1")
_TIME_DATETIME = etree.XPath("//time[@datetime]")
# Byline containers by their conventional class names; generic, not tied to any site. Any class naming the
# author ("article__author", "metaInfoAuthorList-item", "byline-name") counts: short texts only (see
# _MAX_BYLINE_CHARS), so an author's biography adds nothing.
_BYLINE = etree.XPath(
    "//*[@rel='author'] | //*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]"
    " | //body//*[contains(translate(@class, 'AUTHOR', 'author'), 'author')"
    " or contains(@class, 'byline__name') or contains(@class, 'byline-name')]"
    # A link to the author's page (/author/jane-doe, /autoren/name/...) is a byline whatever its class.
    " | //body//a[contains(@href, '/author/') or contains(@href, '/authors/') or contains(@href, '/autor/')"
    " or contains(@href, '/autoren/')]"
)
# Date-bearing data attributes (data-publicationdate, data-date-published...) that scripts render from.
_DATA_DATE_ATTRIBUTES = etree.XPath(
    "//body//@*[starts-with(name(), 'data-') and (contains(name(), 'date') or contains(name(), 'publi')"
    " or contains(name(), 'modif') or contains(name(), 'updat'))]"
)
# Visible datelines: short elements whose class names a date ("date", "dateline", "publish", "timestamp").
_DATELINE_ELEMENTS = etree.XPath(
    ".//*[contains(translate(@class, 'DATEPUBLISHTM', 'datepublishtm'), 'date')"
    " or contains(translate(@class, 'DATEPUBLISHTM', 'datepublishtm'), 'publish')"
    " or contains(translate(@class, 'DATEPUBLISHTM', 'datepublishtm'), 'timestamp')]"
)
# Short fields of a fact box or meta line where a labelled date is printed.
# The length test runs inside libxml2: most elements of a page are too long to be one and never reach Python.
_LABELLED_FIELD_ELEMENTS = etree.XPath(
    "(.//li | .//p | .//dd | .//td | .//span | .//div[not(*) or not(*[*])])"
    "[string-length(normalize-space(.)) <= 80 and string-length(normalize-space(.)) >= 8]"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}.*)?$")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}[:h]\d{2}(?!\d)")
_MAX_DATELINE_CHARS = 80
_MAX_DATELINES = 3
# Elements read after the headline when looking for an unlabelled dateline: it sits in the meta line under it.
_DATELINE_WINDOW = 25
_MAX_DATELINE_LEAD_CHARS = 30
# A text ending like a sentence is prose that mentions a date or a name, not a dateline or a byline.
_SENTENCE_ENDS = (".", "!", "?", "。")
_MAX_DATELINE_WORDS = 12
# The standfirst: the first block after the headline whose class names a lead, in the words CMSs use across
# languages ("lead", "teaser", "intro", "standfirst", "chapo", "Vorspann", "perex"...), or a sub-headline
# ("subtitle", "dek", "strapline"). Measured on the fundus set, the first one in page order is the lead.
_STANDFIRST_CLASS = re.compile(
    r"(?:^|[\s_-])(?:lead|lede|standfirst|teaser|summary|intro|introduction|excerpt|preamble|preface"
    r"|einleitung|abstract|description|chapo|chapeau|bajada|entradilla|sumario|occhiello|catenaccio|ingress"
    r"|perex|vorspann)(?:[-_]?text)?(?:$|[\s_-])"
)
_SUBHEADLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:dek|deck|sub-?title|sub-?headline|sub-?head|sub-?header|strapline)(?:$|[\s_-])"
)
# Blocks named like a lead that belong to something else: media, other stories' teasers, paywall offers.
_NOT_STANDFIRST_CLASS = re.compile(
    r"image|img|photo|media|caption|author|byline|date|time|share|related|title__|gallery|lightbox|paywall"
    r"|widget|asset|inline|anchor|video|audio|card|podcast|newsletter"
)
_NOT_STANDFIRST_TAGS = frozenset(
    {"a", "img", "figure", "figcaption", "script", "style", "time", "button", "h1"}
)
# An <h2> right after the <h1>, in the same container, is the sub-headline whatever its class (a <p> there
# is as often the body's first paragraph).
_STANDFIRST_BESIDE_TAGS = frozenset({"h2"})
_STARTS_WITH_DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}")
_MAX_LINKED_SHARE = 0.5
_TRUNCATED = ("...", "…")
_STANDFIRST_WINDOW = 150
"""Elements read after the headline: the standfirst sits between it and the body."""
_MIN_STANDFIRST_CHARS = 30
_MAX_STANDFIRST_CHARS = 1000
_MAX_BYLINE_CHARS = 120
# Commenters, avatars and author boxes of other stories are no byline of this one.
_NOT_BYLINE_CLASS = re.compile(r"comment|avatar|image|photo|bio\b|follow", re.IGNORECASE)
_NOT_STORY_TAGS = frozenset({"aside", "footer", "nav", "a"})
_MAX_BYLINES = 4
_MAX_LABELLED_BYLINE_WORDS = 10
_BREADCRUMB_LINKS = etree.XPath(
    "//*[contains(@class, 'breadcrumb') or @aria-label='breadcrumb' or @aria-label='Breadcrumb']//a"
)
_KEYWORD_SPLIT = re.compile(r"\s*[,;]\s*")
# The label of a Twitter card's byline field, in the languages WordPress SEO plugins are translated to.
_WRITTEN_BY = re.compile(
    r"^\s*(?:written by|geschrieben von|verfasst von|escrito por|écrit par|scritto da|geschreven door"
    r"|napisane przez|skrivet av|skrevet af|skrevet av|kirjoittanut|autor|autorin|author|auteur|autore)\s*$",
    re.IGNORECASE,
)
_DATE_IN_TEXT = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}\.? [A-Za-zÀ-ÿ]{3,}\.? \d{4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
)
_MODIFIED_HINT = re.compile(r"updat|modif|aktualisiert|geändert|actualiz|mis à jour", re.IGNORECASE)

# Meta names (lower case) per field, best first. The same key may be in name=, property= or itemprop=.
# The CMS's own article title ("title", Dublin Core, the recommendation engines' fields) before the social
# card's (twitter:title), which is read only where the page has no og:title: both are the sharing variant.
_META_TITLE = (
    "title",
    "dc.title",
    "dcterms.title",
    "parsely-title",
    "sailthru.title",
    "cxenseparse:title",
    "taboola:title",
)
_META_DESCRIPTION = ("description", "twitter:description", "dc.description", "dcterms.description")
_META_AUTHORS = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "parsely-author",
    "sailthru.author",
    "cxenseparse:author",
    "citation_author",
)
_META_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "published_time",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "date",
    "article:published",
    "cxenseparse:recs:publishtime",
    "citation_publication_date",
    "originalpublicationdate",
)
_META_MODIFIED = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "modified_time",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "article.updated",
    "lastmod",
    "cxenseparse:recs:articlemodifiedtime",
)
_META_LANGUAGE = ("content-language", "dc.language", "dcterms.language", "language", "og:locale")
_META_SECTION = (
    "article:section",
    "parsely-section",
    "section",
    "category",
    "article.section",
    "cxenseparse:section",
)
_META_TAGS = ("news_keywords", "keywords", "article:tag", "parsely-tags", "sailthru.tags", "article:tags")
_META_SITE = ("og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:app:name:iphone")
_OPENGRAPH_PREFIXES = ("og:", "article:")


def add_candidate(candidates: list[Candidate[T]], value: T | None, source: str) -> None:
    """Append ``value`` unless it is empty or an earlier (better-ranked) source already gave it."""
    if value is None or value == "" or value == []:
        return
    if any(existing.value == value for existing in candidates):
        return
    candidates.append(Candidate(value, source))


def _source_of_meta(key: str) -> str:
    return "opengraph" if key.startswith(_OPENGRAPH_PREFIXES) else "meta"


def _split_keywords(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        for part in _KEYWORD_SPLIT.split(value):
            part = squash(part)
            if part and part not in out:
                out.append(part)
    return out


def read_meta(tree: etree._Element) -> dict[str, list[str]]:
    """Every ``<meta>`` content keyed by its lower-cased name, property, itemprop or http-equiv."""
    metas: dict[str, list[str]] = {}
    for element in _META(tree):
        content = squash(element.get("content"))
        if "&" in content:
            content = unescape(content)
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = element.get(attribute)
            if key:
                metas.setdefault(key.strip().lower(), []).append(content)
    return metas


def _microdata_value(element: HtmlElement) -> str | None:
    for attribute in ("content", "datetime"):
        value = element.get(attribute)
        if value and value.strip():
            return squash(value)
    if element.tag in ("a", "link"):
        return None
    text = text_of(element)
    return text or None


def read_microdata(tree: etree._Element) -> dict[str, list[HtmlElement]]:
    """Elements carrying each ``itemprop`` (``<meta>`` aside: :func:`read_meta` has them), in page order."""
    props: dict[str, list[HtmlElement]] = {}
    for element in _ITEMPROPS(tree):
        if element.tag == "meta":
            continue
        for prop in element.get("itemprop", "").split():
            props.setdefault(prop, []).append(element)
    return props


def _microdata_author_names(elements: list[HtmlElement]) -> list[str]:
    names: list[str] = []
    for element in elements:
        if element.get("itemscope") is not None:
            inner = element.xpath(".//*[@itemprop='name']")
            value = (inner[0].get("content") or text_of(inner[0])) if inner else None
        else:
            value = _microdata_value(element)
        if value and len(value) < 120 and value not in names:
            names.append(squash(value))
    return names


def _jsonld_paywall(node: dict[str, Any]) -> bool | None:
    # The flag sits on the article or on the parts it declares (the paywalled section of the text).
    has_part = node.get("hasPart")
    if isinstance(has_part, dict):
        parts = [has_part]
    else:
        parts = [part for part in has_part if isinstance(part, dict)] if isinstance(has_part, list) else []
    for holder in [node, *parts]:
        value = holder.get("isAccessibleForFree")
        if isinstance(value, bool):
            return not value
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
            return value.strip().lower() in ("false", "no")
    return None


def fill_jsonld(raw: RawArticle, data: JsonLdData, deferred_authors: list[Candidate[list[str]]]) -> None:
    """JSON-LD candidates; organisation-only bylines go to ``deferred_authors`` (ranked after persons)."""
    node = data.article
    if node is not None:
        add_candidate(raw.title, as_text(node.get("headline")) or as_text(node.get("name")), "jsonld")
        add_candidate(raw.description, as_text(node.get("description")), "jsonld")
        authors = names_of(data, node.get("author")) or names_of(data, node.get("creator"))
        if authors and not is_person(data, node.get("author")) and is_organisation(data, node.get("author")):
            # An organisation credited in JSON-LD yields to a person named by any later source.
            deferred_authors.append(Candidate(authors, "jsonld"))
        else:
            add_candidate(raw.authors, authors, "jsonld")
        add_candidate(raw.published, as_text(node.get("datePublished")), "jsonld")
        add_candidate(raw.published, as_text(node.get("dateCreated")), "jsonld")
        add_candidate(raw.modified, as_text(node.get("dateModified")), "jsonld")
        language = node.get("inLanguage")
        if isinstance(language, dict):
            language = language.get("alternateName") or language.get("name")
        add_candidate(raw.language, as_text(language), "jsonld")
        section = node.get("articleSection")
        if isinstance(section, list):
            section = next((s for s in section if isinstance(s, str) and s.strip()), None)
        add_candidate(raw.section, as_text(section), "jsonld")
        keywords = node.get("keywords")
        if isinstance(keywords, str):
            add_candidate(raw.tags, _split_keywords([keywords]), "jsonld")
        elif isinstance(keywords, list):
            add_candidate(raw.tags, _split_keywords(k for k in keywords if isinstance(k, str)), "jsonld")
        paywall = _jsonld_paywall(node)
        if paywall is not None:
            add_candidate(raw.paywall, paywall, "jsonld")
        for publisher in names_of(data, node.get("publisher")):
            add_candidate(raw.site_name, publisher, "jsonld")
        main_entity = data.resolve(node.get("mainEntityOfPage"))
        if isinstance(main_entity, dict):
            main_entity = main_entity.get("@id") or main_entity.get("url")
        for candidate in (node.get("url"), main_entity):
            if isinstance(candidate, str) and candidate.startswith("http"):
                add_candidate(raw.canonical, candidate.strip(), "jsonld")
    for site in data.of_type(frozenset({"website", "newsmediaorganization", "organization"})):
        add_candidate(raw.site_name, as_text(site.get("name")), "jsonld")
        break
    for crumbs in data.of_type(frozenset({"breadcrumblist"})):
        items = [data.resolve(i) for i in crumbs.get("itemListElement") or [] if isinstance(i, dict)]
        items.sort(key=lambda i: int(i.get("position")) if str(i.get("position", "")).isdigit() else 0)
        names = [as_text(i.get("name")) or as_text(data.resolve(i.get("item"))) for i in items]
        names = [n for n in names if n]
        # The first crumb is the home page, the last often the article itself.
        headline = as_text((data.article or {}).get("headline"))
        if len(names) >= 3 or (len(names) == 2 and names[-1] != headline):
            add_candidate(raw.section, names[1] if len(names) >= 2 else None, "jsonld")
        break


def fill_microdata(raw: RawArticle, props: dict[str, list[HtmlElement]]) -> None:
    for prop, target in (("headline", raw.title), ("description", raw.description)):
        if props.get(prop):
            add_candidate(target, _microdata_value(props[prop][0]), "microdata")
    if props.get("author"):
        add_candidate(raw.authors, _microdata_author_names(props["author"]), "microdata")
    for prop, target in (
        ("datePublished", raw.published),
        ("dateModified", raw.modified),
        ("articleSection", raw.section),
        ("inLanguage", raw.language),
    ):
        if props.get(prop):
            add_candidate(target, _microdata_value(props[prop][0]), "microdata")
    if props.get("keywords"):
        add_candidate(
            raw.tags,
            _split_keywords(filter(None, (_microdata_value(e) for e in props["keywords"]))),
            "microdata",
        )


def fill_meta(raw: RawArticle, metas: dict[str, list[str]]) -> None:
    def first(keys: Iterable[str], target: list[Candidate[str]]) -> None:
        for key in keys:
            for value in metas.get(key, ()):
                add_candidate(target, value, _source_of_meta(key))

    first(("og:title",), raw.title)
    for key in _META_TITLE:
        for value in metas.get(key, ()):
            # Kept even when another source already says the same: the assembler counts agreeing sources.
            if not any(existing.value == value and existing.source == "meta" for existing in raw.title):
                raw.title.append(Candidate(value, "meta"))
    if "og:title" not in metas:
        first(("twitter:title",), raw.title)
    first(("og:description",), raw.description)
    first(_META_DESCRIPTION, raw.description)
    first(_META_PUBLISHED, raw.published)
    first(_META_MODIFIED, raw.modified)
    # Spelling variants ("article:published:time", "publish_date_time") after the known names.
    for key, values in metas.items():
        if ("date" in key or "time" in key) and ("publi" in key or "modif" in key or "updat" in key):
            target = raw.modified if ("modif" in key or "updat" in key) else raw.published
            for value in values:
                if _ISO_DATE.match(value):
                    add_candidate(target, value, _source_of_meta(key))
    first(_META_LANGUAGE, raw.language)
    first(_META_SECTION, raw.section)
    first(_META_SITE, raw.site_name)
    for key in _META_AUTHORS:
        names = [v for v in metas.get(key, ()) if not v.startswith(("http://", "https://"))]
        add_candidate(raw.authors, names, _source_of_meta(key))
    add_candidate(raw.authors, _written_by(metas), "meta")
    for key in _META_TAGS:
        add_candidate(raw.tags, _split_keywords(metas.get(key, ())), _source_of_meta(key))
    for value in metas.get("og:url", ()):
        add_candidate(raw.canonical, value, "opengraph")
    tier = (metas.get("article:content_tier") or [""])[0].lower()
    if tier in ("locked", "metered", "free"):
        add_candidate(raw.paywall, tier != "free", "opengraph")


def _written_by(metas: dict[str, list[str]]) -> list[str]:
    """The byline WordPress SEO plugins print as a Twitter card label/data pair ("twitter:label1" =
    "Written by", "twitter:data1" = the name) or as one key ("twitter:misc:Written by")."""
    names: list[str] = []
    for key, values in metas.items():
        if key.startswith("twitter:misc:") and _WRITTEN_BY.match(key.removeprefix("twitter:misc:")):
            names.extend(values)
    for index in range(1, 5):
        if any(_WRITTEN_BY.match(label) for label in metas.get(f"twitter:label{index}", ())):
            names.extend(metas.get(f"twitter:data{index}", ()))
    return list(dict.fromkeys(names))


def _credits_a_person(raw: RawArticle) -> bool:
    site_names = [candidate.value for candidate in raw.site_name]
    return any(split_authors(candidate.value, site_names=site_names)[0] for candidate in raw.authors)


def _dom_bylines(tree: etree._Element, heading: etree._Element | None) -> list[str]:
    """The byline printed by the headline: the author element nearest to it, with the elements nested in
    or around that one; author elements further away credit teasers, comments or related stories."""
    elements = [
        element
        for element in _BYLINE(tree)
        if not _NOT_BYLINE_CLASS.search(element.get("class") or "") and not _outside_story(element)
    ]
    if len(elements) > 1 and heading is not None:
        nearest = _nearest_first(tree, heading, elements, lambda element: element)[0]
        family = {nearest, *nearest.iterancestors(), *nearest.iterdescendants()}
        elements = [element for element in elements if element in family]
    bylines: list[str] = []
    for element in elements:
        text = text_of(element)
        if text and len(text) <= _MAX_BYLINE_CHARS and text not in bylines:
            bylines.append(text)
        if len(bylines) >= _MAX_BYLINES:
            break
    return bylines


def _labelled_bylines(
    tree: etree._Element, scope: etree._Element, heading: etree._Element | None
) -> list[str]:
    """Bylines without a class to find them by, found by their label instead: "By Jane Doe" under the
    headline, "Autorin/Autor Roman G." in a fact box. The one nearest the headline, as for dates."""
    found = [
        element
        for element in _LABELLED_FIELD_ELEMENTS(scope)
        if _reads_as_byline(text_of(element)) and not _outside_story(element)
    ]
    if len(found) > 1 and heading is not None:
        found = _nearest_first(tree, heading, found, lambda element: element)
    return [text_of(found[0])] if found else []


def _nearest_first(
    tree: etree._Element, anchor: etree._Element, items: list[T], element_of: Callable[[T], etree._Element]
) -> list[T]:
    """``items`` ordered by how far their element stands from ``anchor`` in the page, nearest first (ties in
    their given order): what a page prints by its headline belongs to the story, what is further away to
    teasers and related items."""
    position = {element: index for index, element in enumerate(tree.iter())}
    start = position.get(anchor, 0)
    return sorted(items, key=lambda item: abs(position.get(element_of(item), 0) - start))


def _outside_story(element: etree._Element) -> bool:
    """Inside an aside, a footer, navigation or a link: another story's, or the site's."""
    return any(ancestor.tag in _NOT_STORY_TAGS for ancestor in element.iterancestors())


def _reads_as_byline(text: str) -> bool:
    return (
        opens_with_author_label(text)
        and len(text) <= _MAX_BYLINE_CHARS
        and len(text.split()) <= _MAX_LABELLED_BYLINE_WORDS
        and not text.endswith(_SENTENCE_ENDS)
    )


def _after(start: etree._Element, limit: int) -> Iterable[etree._Element]:
    """Up to ``limit`` elements after ``start`` in document order, its own descendants skipped."""
    node: etree._Element | None = start
    count = 0
    while node is not None:
        following = node.getnext()
        while following is None:
            node = node.getparent()
            if node is None:
                return
            following = node.getnext()
        node = following
        for element in node.iter():
            if not isinstance(element.tag, str):
                continue
            yield element
            count += 1
            if count >= limit:
                return


def _standfirst_text(element: etree._Element) -> str | None:
    if _in_link(element):
        return None  # a teaser of another story
    text = text_of(element)
    if not _MIN_STANDFIRST_CHARS <= len(text) <= _MAX_STANDFIRST_CHARS or _STARTS_WITH_DATE.match(text):
        return None
    linked = sum(len(text_of(link)) for link in element.iter("a"))
    return text if linked <= _MAX_LINKED_SHARE * len(text) else None


def _next_block(heading: etree._Element) -> etree._Element | None:
    sibling = heading.getnext()
    while sibling is not None and (not isinstance(sibling.tag, str) or not text_of(sibling)):
        sibling = sibling.getnext()
    return sibling


def dom_standfirst(heading: etree._Element) -> str | None:
    """The standfirst printed after the headline: a sub-headline right beside it, else the
    first block after it whose class names a lead; None when the page marks none."""
    beside = _next_block(heading)
    if beside is not None and beside.tag in _STANDFIRST_BESIDE_TAGS:
        text = _standfirst_text(beside)
        if text:
            return text
    for element in _after(heading, _STANDFIRST_WINDOW):
        if element.tag in _NOT_STANDFIRST_TAGS:
            continue
        label = f"{element.get('class') or ''} {element.get('itemprop') or ''}".lower()
        if len(label) < 4 or _NOT_STANDFIRST_CLASS.search(label):
            continue
        if _STANDFIRST_CLASS.search(label) or _SUBHEADLINE_CLASS.search(label):
            text = _standfirst_text(element)
            if text:
                return text
    return None


def _untruncated(heading: etree._Element, description: str) -> str | None:
    """The paragraph a description cut short ("... el contr...") was taken from, when the page prints it."""
    prefix = description.rstrip(".…").rstrip()
    if len(prefix) < _MIN_STANDFIRST_CHARS:
        return None
    for element in _after(heading, _STANDFIRST_WINDOW):
        if element.tag in _NOT_STANDFIRST_TAGS:
            continue
        text = text_of(element)
        if text.startswith(prefix) and len(text) <= _MAX_STANDFIRST_CHARS:
            return text
    return None


def fill_dom(raw: RawArticle, tree: etree._Element) -> None:
    for href in _LINK_CANONICAL(tree):
        add_candidate(raw.canonical, squash(href), "dom")
    # An empty h1 is a logo's wrapper, not the headline.
    headings = [h for h in _H1_IN_ARTICLE(tree) if text_of(h)] or [h for h in _H1(tree) if text_of(h)]
    for heading in headings[:1]:
        add_candidate(raw.title, text_of(heading), "dom")
    for title in _TITLE(tree)[:1]:
        add_candidate(raw.title, text_of(title), "dom")
    standfirst = dom_standfirst(headings[0]) if headings else None
    if standfirst and any(standfirst in candidate.value for candidate in raw.title):
        standfirst = None  # the second line of a two-part headline ("Topic: Second part"), not a lead
    if not standfirst and headings and raw.description and raw.description[0].value.endswith(_TRUNCATED):
        standfirst = _untruncated(headings[0], raw.description[0].value)
    if standfirst:
        # The lead as printed beats the metadata descriptions, which are often an SEO summary.
        others = [candidate for candidate in raw.description if candidate.value != standfirst]
        raw.description[:] = [Candidate(standfirst, "dom"), *others]
    heading = headings[0] if headings else None
    # The story's own container, for the fallbacks below that search the page: teasers elsewhere on the page
    # carry other bylines and dates. Found once, and only for a page that needs one of them.
    scope: etree._Element | None = None
    if not _credits_a_person(raw):
        # Byline elements are a fallback for pages that name no person in their metadata (none, or only
        # the outlet itself): the search costs 2 ms a page.
        bylines = _dom_bylines(tree, heading)
        if not bylines:
            scope = _story_scope(tree)
            bylines = _labelled_bylines(tree, scope, heading)
        add_candidate(raw.authors, bylines, "dom")
    for element in _TIME_DATETIME(tree):
        value = squash(element.get("datetime"))
        hints = " ".join(filter(None, (element.get("class"), element.get("itemprop"), text_of(element))))
        target = raw.modified if _MODIFIED_HINT.search(hints) else raw.published
        add_candidate(target, value, "dom")
    for attribute in _DATA_DATE_ATTRIBUTES(tree)[:20] if not raw.published else ():
        value = squash(str(attribute))
        if _ISO_DATE.match(value):
            name = str(attribute.attrname).lower()
            target = raw.modified if _MODIFIED_HINT.search(name) else raw.published
            add_candidate(target, value, "dom")
    if not any(_CLOCK.search(candidate.value) for candidate in raw.published):
        _fill_printed_dates(raw, tree, scope if scope is not None else _story_scope(tree), heading)
    _fill_breadcrumbs(raw, tree)


def _story_scope(tree: etree._Element) -> etree._Element:
    container = main_container(tree)
    return tree if container is None else container


def _fill_printed_dates(
    raw: RawArticle, tree: etree._Element, scope: etree._Element, heading: etree._Element | None
) -> None:
    """Datelines as printed, for pages whose machine-readable dates give no time of day, or none at all.

    They cost a natural-language date parse each, so pages with a timed structured date skip them. They
    rank after the structured candidates: where those give a day, a printed time on that same day refines
    it (``choose_dates``); a printed dateline on another day does not displace them.
    """
    found: list[tuple[etree._Element, str]] = []
    for element in _DATELINE_ELEMENTS(scope):
        if element.tag in ("script", "style", "body", "html") or _in_link(element):
            continue
        text = text_of(element)
        if text and len(text) <= _MAX_DATELINE_CHARS and _DATE_IN_TEXT.search(text):
            found.append((element, text))
    if not found:
        found = _labelled_dates(scope) or _clocked_lines_after(heading)
    if len(found) > 1 and heading is not None:
        found = _nearest_first(tree, heading, found, lambda item: item[0])
    for element, text in found[:_MAX_DATELINES]:
        target = raw.modified if _MODIFIED_HINT.search(f"{element.get('class')} {text}") else raw.published
        add_candidate(target, text, "dom")


def _in_link(element: etree._Element) -> bool:
    """Inside a link: a teaser's date or standfirst, not the story's."""
    return any(ancestor.tag == "a" for ancestor in element.iterancestors())


def _labelled_dates(scope: etree._Element) -> list[tuple[etree._Element, str]]:
    """Fact-box fields that name their date ("Datum 28.04.2023", "Published: 3 March 2024")."""
    found = []
    for element in _LABELLED_FIELD_ELEMENTS(scope):
        text = text_of(element)
        if (
            text
            and len(text) <= _MAX_DATELINE_CHARS
            and opens_with_date_label(text)
            and _DATE_IN_TEXT.search(text)
            and not _in_link(element)
            and not any(_DATE_IN_TEXT.search(text_of(link)) for link in element.iter("a"))
        ):
            found.append((element, text))
    return found


def _clocked_lines_after(heading: etree._Element | None) -> list[tuple[etree._Element, str]]:
    """The first short line after the headline that prints a date with a time of day, whatever its class:
    "2024年04月24日23:52 | Source" in an unnamed div is as much a dateline as a ``class="date"`` one."""
    if heading is None:
        return []
    for element in _after(heading, _DATELINE_WINDOW):
        if element.tag in _NOT_STORY_TAGS or element.tag in ("script", "style"):
            continue
        text = text_of(element)
        if (
            text
            and len(text) <= _MAX_DATELINE_CHARS
            and _CLOCK.search(text)
            and _reads_as_dateline(text)
            and not _in_link(element)
        ):
            return [(element, text)]
    return []


def _reads_as_dateline(text: str) -> bool:
    """A line led by its date, not a sentence that mentions one ("Am 28.04.2023 um 14:00 begann...")."""
    date = _DATE_IN_TEXT.search(text)
    return (
        date is not None
        and date.start() <= _MAX_DATELINE_LEAD_CHARS
        and not text.endswith(_SENTENCE_ENDS)
        and len(text.split()) <= _MAX_DATELINE_WORDS
    )


def _fill_breadcrumbs(raw: RawArticle, tree: etree._Element) -> None:
    if raw.section:
        return
    crumbs = [text_of(a) for a in _BREADCRUMB_LINKS(tree)]
    crumbs = [c for c in crumbs if c]
    # The first crumb is the home page; the second names the section.
    if len(crumbs) >= 2:
        add_candidate(raw.section, crumbs[1], "dom")


def fill_html_lang(raw: RawArticle, tree: etree._Element, metas: dict[str, list[str]]) -> None:
    for lang in _HTML_LANG(tree):
        if squash(lang):
            raw.html_lang = squash(lang)
            return
    for value in metas.get("content-language", ()):
        raw.html_lang = value
        return

