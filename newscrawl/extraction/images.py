"""Find the article's images (cover first, then content images in page order) with captions and credits."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newscrawl.extraction.document import main_container, squash, text_of
from newscrawl.extraction.jsonld import JsonLdData, as_text, names_of
from newscrawl.extraction.raw import RawImage
from newscrawl.hints import EntryHints
from newscrawl.normalize.urls import same_site

# AMP pages print <amp-img> where others print <img>.
_FIGURE_IMAGES = etree.XPath("//figure//img | //figure//amp-img")
_IMAGES = etree.XPath(".//img | .//amp-img")
_ALWAYS_CHROME = frozenset({"nav", "aside", "form", "button"})
_CHROME_AROUND_ARTICLES = frozenset({"nav", "aside"})
_MIN_WIDTH = re.compile(r"min-width:\s*(\d+)")
_MAX_WIDTH = re.compile(r"max-width")
_DESCRIPTOR = re.compile(r"^(\d+(?:\.\d+)?)[wxh]?$")
_LAZY_ATTRIBUTES = (
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-lazy",
    "data-url",
    "data-hi-res-src",
    "data-full-src",
    "data-image",
    "data-img-src",
    "src",
)
_LAZY_SRCSETS = ("srcset", "data-srcset", "data-lazy-srcset")
# Generic markers of page furniture rather than editorial images, looked for where each is meaningful:
# in the file path (not the query, where crop parameters such as "1x1" are editorial), in class/id names
# (not "placeholder": lazy loaders name real images so), and as words of the alt text.
_FURNITURE_PATH = re.compile(
    r"logo|avatar|icon|sprite|pixel|spacer|blank\.|placeholder|gravatar|badge|emoji|banner|advert|doubleclick"
    r"|tracking|/ads?/|[-_]ads?[-_./]|\b1x1\.|transparent\.|loader|spinner|/flags?/|headshot|mugshot"
    # Byline portraits, filed under the authors ("/img/autor/...", "/authors/jane-doe.jpg").
    r"|/(?:authors?|autor(?:en|es)?|auteurs?|autori)/",
    re.IGNORECASE,
)
_FURNITURE_CLASS = re.compile(
    r"logo|avatar|icon|sprite|gravatar|badge|emoji|banner|advert|author|profile|headshot|social|share",
    re.IGNORECASE,
)
_FURNITURE_ALT = re.compile(r"\b(?:logo|avatar|icon|emoji|banner|advertisement)\b", re.IGNORECASE)
_CREDIT_CLASS = re.compile(
    r"credit|copyright|source|author|photographer|byline|rights|quelle|fotograf", re.IGNORECASE
)
_CAPTION_CLASS = re.compile(
    r"caption|legend|description|infotext|bildtext|bildunterschrift|didascalia|pie-?de-?foto|epigraf|podpis",
    re.IGNORECASE,
)
_VISIBLE_IMAGES = etree.XPath(".//img[not(ancestor::noscript)] | .//amp-img")
_CAPTION_BOUNDARIES = frozenset({"body", "article", "main", "section", "ul", "ol", "li"})
_MAX_CAPTION_DEPTH = 4
_TEXT_BLOCKS = frozenset({"div", "span", "small", "cite"})
_MAX_UNLABELLED_BLOCKS = 2
_MAX_UNLABELLED_CAPTION = 300
_MAX_CREDIT_CHARS = 80
# Wrappers that do not count as a level between an image and its caption.
_TRANSPARENT = frozenset({"source", "picture", "a", "noscript"})
_PIXEL_SIDE = 2
_MIN_SIDE = 100  # pixels; smaller images are icons, buttons or tracking pixels
# A file name this long is specific enough to identify one picture across its renditions
# (".../w1240/16x9/harbour-at-dawn.jpg.webp" and ".../facebook_teaser/harbour-at-dawn.jpg").
_MIN_IDENTIFYING_STEM = 12
# Path parts image CDNs use for a rendition's size, crop or quality: "1200", "800x600", "w_1280,c_limit",
# "q_80", "w1200"; and the same at the end of a file name: "photo-250x148", "putin~1920x1080", "photo@2x".
_SIZE_FOLDER = re.compile(
    r"^(?:\d{1,4}|\d{2,4}x\d{2,4}|[a-z]{1,2}_[a-z0-9:.]+(?:,[a-z]{1,2}_[a-z0-9:.]+)*|[wh]\d{2,4})$"
)
_SIZE_SUFFIX = re.compile(r"(?:[-_~]\d{2,4}x\d{2,4}|[-_]w\d{2,4}|@\dx)$")
_MIN_SHAPE_STEM = 8
_MIN_SHAPE_DIGITS = 5
_IMAGE_FILE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".tif", ".tiff", ".bmp")
_RENDITION_SOURCES = frozenset({"dom"})


def parse_srcset(srcset: str) -> list[tuple[str, float]]:
    """``(url, size)`` pairs of a ``srcset``, parsed as the HTML standard does: a URL may hold commas
    (``?crop=4:5,smart``); only a comma that ends a URL or follows its descriptors separates candidates."""
    out: list[tuple[str, float]] = []
    position, length = 0, len(srcset)
    while position < length:
        while position < length and (srcset[position].isspace() or srcset[position] == ","):
            position += 1
        start = position
        while position < length and not srcset[position].isspace():
            position += 1
        url = srcset[start:position]
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            end = srcset.find(",", position)
            end = length if end < 0 else end
            descriptor = srcset[position:end].strip()
            position = end + 1
        if not url:
            continue
        match = _DESCRIPTOR.match(descriptor)
        out.append((url, float(match.group(1)) if match else 1.0))
    return out


def _srcset_best(srcset: str | None) -> str | None:
    if not srcset:
        return None
    candidates = [(size, url) for url, size in parse_srcset(srcset) if not url.startswith("data:")]
    # max() keeps the first of equal sizes, i.e. the page's own order.
    return max(candidates, key=lambda candidate: candidate[0])[1] if candidates else None


def _too_small(image: HtmlElement) -> bool:
    """An icon or tracking pixel by its declared size: every declared side small, or one side a pixel.
    One small side alone proves nothing: lazy loaders print placeholder sizes (width=160 height=90)."""
    sides = []
    for attribute in ("width", "height"):
        value = (image.get(attribute) or "").strip().removesuffix("px")
        if value.isdigit():
            sides.append(int(value))
    return bool(sides) and (max(sides) < _MIN_SIDE or min(sides) <= _PIXEL_SIDE)


def _widest_screen_first(source: HtmlElement) -> tuple[int, int]:
    media = source.get("media") or ""
    minimum = _MIN_WIDTH.search(media)
    return (1 if _MAX_WIDTH.search(media) else 0, -int(minimum.group(1)) if minimum else 0)


def _picture_of(image: HtmlElement) -> HtmlElement | None:
    # libxml2 does not know <source> is void, so an <img> may sit inside a chain of <source> elements.
    for ancestor in image.iterancestors():
        if ancestor.tag == "picture":
            return ancestor
        if ancestor.tag != "source":
            return None
    return None


def _real_srcset(element: HtmlElement) -> str | None:
    """The srcset a lazy loader will install (``data-srcset``) before a placeholder one (``data:,1w``)."""
    for attribute in _LAZY_SRCSETS[::-1]:
        value = element.get(attribute)
        if value and not value.lstrip().startswith("data:"):
            return str(value)
    return None


def image_url(image: HtmlElement, base_url: str) -> str | None:
    """Absolute URL of the largest rendition an ``<img>`` or its ``<picture>`` offers, lazy ones included."""
    candidates: list[str | None] = []
    picture = _picture_of(image)
    if picture is not None:
        # The source for the widest screens carries the largest rendition.
        sources = sorted(picture.iter("source"), key=_widest_screen_first)
        for source in sources:
            candidates.append(_srcset_best(_real_srcset(source)))
    for attribute in _LAZY_SRCSETS:
        candidates.append(_srcset_best(image.get(attribute)))
    for attribute in _LAZY_ATTRIBUTES:
        candidates.append(image.get(attribute))
    for candidate in candidates:
        absolute = absolute_url(base_url, candidate)
        if absolute:
            return absolute
    return None


def absolute_url(base_url: str, url: str | None) -> str | None:
    """``url`` resolved against the page, or None for an empty, inline (``data:``) or malformed one."""
    url = squash(url)
    if not url or url.startswith(("data:", "about:", "javascript:", "blob:")):
        return None
    try:
        absolute = urljoin(base_url, url)
    except ValueError:  # "http://[broken" and other unparseable URLs
        return None
    return absolute if absolute.startswith(("http://", "https://")) else None


def _in_chrome(image: HtmlElement) -> bool:
    """Inside navigation, a sidebar or a form; a header/footer counts only outside the article,
    since an article's own header holds its lead image. An ``<article>`` inside a sidebar or navigation
    is a teaser card there; a form above the article is the whole page's (ASP.NET wraps every page in one)."""
    in_header = False
    in_article = False
    for ancestor in image.iterancestors():
        tag = ancestor.tag
        if tag in _ALWAYS_CHROME and (not in_article or tag in _CHROME_AROUND_ARTICLES):
            return True
        if tag in ("header", "footer") and not in_article:
            in_header = True
        elif tag in ("article", "main"):
            in_article = True
    return in_header and not in_article


def _caption_element(container: HtmlElement, image: HtmlElement) -> HtmlElement | None:
    """The container's caption: a ``<figcaption>``, else the first caption-classed element beside the img."""
    figcaption = next(container.iter("figcaption"), None)
    if figcaption is not None:
        return figcaption
    for element in container.iter():
        if element is container or not isinstance(element.tag, str):
            continue
        if _CAPTION_CLASS.search(element.get("class") or "") and image not in element.iterdescendants():
            return element
    return None


def _media_container(image: HtmlElement) -> tuple[HtmlElement, HtmlElement] | None:
    """The nearest ``<figure>`` or single-image block around the image that has a caption, and the caption."""
    depth = 0
    for ancestor in image.iterancestors():
        if ancestor.tag in _TRANSPARENT:
            continue
        depth += 1
        if depth > _MAX_CAPTION_DEPTH or ancestor.tag in _CAPTION_BOUNDARIES:
            return None
        if ancestor.tag != "figure" and len(_VISIBLE_IMAGES(ancestor)) > 1:
            # A block with several images is a gallery or a teaser list: its captions belong to the others.
            return None
        caption = _caption_element(ancestor, image)
        if caption is not None:
            return ancestor, caption
    return None


def _unlabelled_caption(image: HtmlElement) -> tuple[str | None, str | None]:
    """Caption and credit printed as bare text blocks right after the image in its own wrapper.

    Pages with generated class names (``div.sc-hzhJZQ``) give no hint but the layout: a wrapper that
    holds only the picture and one or two short, link-free text blocks is a captioned image.
    """
    holder: HtmlElement = image
    for ancestor in image.iterancestors():
        if ancestor.tag not in _TRANSPARENT:
            break
        holder = ancestor
    wrapper = holder.getparent()
    if wrapper is None or wrapper.tag in _CAPTION_BOUNDARIES or len(_VISIBLE_IMAGES(wrapper)) != 1:
        return None, None
    texts: list[str] = []
    for sibling in holder.itersiblings():
        if not isinstance(sibling.tag, str) or sibling.tag not in _TEXT_BLOCKS:
            return None, None
        if next(sibling.iter("a", "img", "p", "ul", "ol", "h1", "h2", "h3"), None) is not None:
            return None, None
        text = text_of(sibling)
        if text:
            texts.append(text)
    if not texts or len(texts) > _MAX_UNLABELLED_BLOCKS or len(texts[0]) > _MAX_UNLABELLED_CAPTION:
        return None, None
    credit = texts[1] if len(texts) == _MAX_UNLABELLED_BLOCKS and len(texts[1]) <= _MAX_CREDIT_CHARS else None
    return texts[0], credit


def _caption_and_credit(image: HtmlElement) -> tuple[str | None, str | None]:
    found = _media_container(image)
    if found is None:
        return _unlabelled_caption(image)
    container, caption_element = found
    credit_element: HtmlElement | None = None
    for element in container.iter():
        if element is caption_element or element is container or not isinstance(element.tag, str):
            continue
        is_credit = element.tag in ("small", "cite") or _CREDIT_CLASS.search(element.get("class") or "")
        if is_credit and text_of(element):
            credit_element = element
            break
    caption_text = text_of(caption_element)
    if credit_element is None:
        return caption_text or None, None
    credit_text = text_of(credit_element)
    if credit_element in caption_element.iterdescendants():
        # A credit printed inside the caption runs to its end ("Photo by X / Agency"), so everything
        # from the credit on is credit and everything before it is caption.
        position = caption_text.rfind(credit_text)
        if position >= 0:
            credit_text = caption_text[position:].strip()
            caption_text = caption_text[:position].strip()
    return caption_text or None, credit_text or None


def _links_to_another_page(image: HtmlElement, url: str, page_url: str) -> bool:
    """A picture that links to another page of the same site is that page's teaser (related stories, "more
    on this"), unless it has a caption of its own (checked by the caller). Not teasers: a link to the picture
    (click to enlarge) or to its own viewer page (named after the picture's file), to this page, or off the
    site (a product shop, a source).
    """
    for depth, ancestor in enumerate(image.iterancestors()):
        if depth >= _MAX_CAPTION_DEPTH:
            return False
        if ancestor.tag != "a":
            continue
        target = absolute_url(page_url, ancestor.get("href"))
        if target is None or target.split("#", 1)[0] == page_url.split("#", 1)[0] or not same_site(target, page_url):
            return False
        path = urlsplit(target).path.lower()
        stem = _file_stem(urlsplit(url).path.lower())
        return not path.endswith(_IMAGE_FILE_SUFFIXES) and not (len(stem) >= _MIN_IDENTIFYING_STEM and stem in path)
    return False


def _is_furniture(image: HtmlElement, url: str, alt: str | None) -> bool:
    path = url.split("?", 1)[0]
    names = f"{image.get('class') or ''} {image.get('id') or ''}"
    return bool(
        path.lower().endswith(".svg")
        or _FURNITURE_PATH.search(path)
        or _FURNITURE_CLASS.search(names)
        or (alt and _FURNITURE_ALT.search(alt))
    )


def dom_images(tree: HtmlElement, base_url: str, story: HtmlElement | None = None) -> list[RawImage]:
    """Editorial images of the article in page order: inside the element holding the story (from the
    body extraction), else inside the main article container, else every ``<figure>``."""
    scope = story if story is not None else main_container(tree)
    images = _IMAGES(scope) if scope is not None else []
    if not images:
        images = _FIGURE_IMAGES(tree)
    out: list[RawImage] = []
    for image in images:
        if _too_small(image) or _in_chrome(image):
            continue
        url = image_url(image, base_url)
        if url is None:
            continue
        alt = squash(image.get("alt")) or None
        if _is_furniture(image, url, alt):
            continue
        caption, credit = _caption_and_credit(image)
        if caption is None and credit is None and _links_to_another_page(image, url, base_url):
            # A captioned picture is the article's own, wherever it links (a gallery, its attachment page).
            continue
        if caption is None and credit is None:
            # Without a printed caption the title attribute often carries it ("Caption | Photo: X").
            caption = squash(image.get("title")) or None
        out.append(RawImage(url=url, caption=caption, credit=credit, alt=alt, source="dom"))
    return out


def jsonld_images(data: JsonLdData, base_url: str) -> list[RawImage]:
    node = data.article
    if node is None:
        return []
    out: list[RawImage] = []
    for item in data.iter_values(node.get("image")):
        url: str | None
        caption = credit = None
        if isinstance(item, str):
            url = item
        elif isinstance(item, dict):
            url = as_text(item.get("url")) or as_text(item.get("contentUrl"))
            caption = as_text(item.get("caption")) or as_text(item.get("description"))
            credits = (
                [as_text(item.get("creditText"))]
                if item.get("creditText")
                else names_of(data, item.get("copyrightHolder") or item.get("author") or item.get("creator"))
            )
            credit = ", ".join(c for c in credits if c) or None
        else:
            continue
        absolute = absolute_url(base_url, url)
        if absolute:
            out.append(RawImage(url=absolute, caption=caption, credit=credit, source="jsonld"))
    return out


def _identities(url: str) -> set[str]:
    """Keys under which two URLs are renditions of one picture: host + path, a long file-name stem, and the
    path without the sizes and crops image CDNs write into it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return {url}
    keys = {parts.netloc.lower() + parts.path}
    stem = _file_stem(parts.path.lower())
    if len(stem) >= _MIN_IDENTIFYING_STEM:
        keys.add("stem:" + stem)
    shape = _without_sizes(parts.path.lower())
    if shape is not None:
        keys.add("shape:" + parts.netloc.lower() + shape)
    return keys


def _file_stem(path: str) -> str:
    """The file name without its extensions: ``harbour-at-dawn`` of ``/img/w1240/harbour-at-dawn.jpg.webp``."""
    return path.rsplit("/", 1)[-1].split(".", 1)[0]


def _is_resized(url: str) -> bool:
    """Whether the URL names a size or crop of a picture ("photo-250x148.jpg", ".../w_320/photo.jpg") rather
    than the picture. Bare numbers in folders are left out of this: they are dates as often as sizes."""
    path = urlsplit(url).path.lower()
    return _SIZE_SUFFIX.search(_file_stem(path)) is not None or any(
        _SIZE_FOLDER.match(folder) and not folder.isdigit() for folder in path.split("/")[:-1]
    )


def _without_sizes(path: str) -> str | None:
    """``/images/1200/800/q_80/1072476.jpg`` and ``/images/960/540/1072476.webp`` both as ``/images/1072476``;
    ``/uploads/2024/10/debate-250x148.jpg`` as ``/uploads/2024/10/debate``. None when what is left of the file
    name is too generic to identify a picture ("image", "original")."""
    stem = _SIZE_SUFFIX.sub("", _file_stem(path))
    if not (len(stem) >= _MIN_SHAPE_STEM or sum(char.isdigit() for char in stem) >= _MIN_SHAPE_DIGITS):
        return None
    kept = [folder for folder in path.split("/")[:-1] if folder and not _SIZE_FOLDER.match(folder)]
    return "/" + "/".join([*kept, stem])


def merge_renditions(images: list[RawImage]) -> list[RawImage]:
    """One record per picture: renditions (og:image, JSON-LD crops, the ``<img>`` shown) become one.

    The record keeps the position of its first rendition and the URL of the one the page displays
    (the DOM's largest), which is what a reader sees; captions and credits fill in from any rendition.
    """
    merged: list[RawImage] = []
    index: dict[str, int] = {}
    for image in images:
        keys = _identities(image.url)
        position = next((index[key] for key in keys if key in index), None)
        if position is None:
            for key in keys:
                index[key] = len(merged)
            merged.append(image)
            continue
        kept = merged[position]
        if image.source in _RENDITION_SOURCES and kept.source not in _RENDITION_SOURCES:
            # The rendition the page displays wins, with the caption printed under it.
            primary, secondary = image, kept
        elif image.source == kept.source and _is_resized(kept.url) and not _is_resized(image.url):
            # The page shows a thumbnail ("photo-250x148.jpg") and, further on, the picture itself.
            primary, secondary = image, kept
        else:
            primary, secondary = kept, image
        merged[position] = replace(
            kept,
            url=primary.url,
            caption=primary.caption or secondary.caption,
            credit=primary.credit or secondary.credit,
            alt=primary.alt or secondary.alt,
            source=primary.source,
        )
        for key in keys:
            index.setdefault(key, position)
    return merged


def collect_images(
    tree: HtmlElement,
    base_url: str,
    data: JsonLdData,
    metas: dict[str, list[str]],
    entry: EntryHints | None,
    story: HtmlElement | None = None,
) -> list[RawImage]:
    """Cover first (``og:image``, else the first JSON-LD image), then the article's images in page order."""
    structured = jsonld_images(data, base_url)
    cover_url: str | None = None
    cover_source = "opengraph"
    for key in ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"):
        cover_url = absolute_url(base_url, next(iter(metas.get(key, ())), None))
        if cover_url:
            cover_source = "opengraph" if key.startswith("og:") else "meta"
            break
    images: list[RawImage] = []
    if cover_url is None and structured:
        cover_url, cover_source = structured[0].url, "jsonld"
    if cover_url is not None:
        alt = next(iter(metas.get("og:image:alt", ())), None)
        images.append(RawImage(url=cover_url, alt=alt, is_cover=True, source=cover_source))
    images.extend(structured)
    images.extend(dom_images(tree, base_url, story))
    if entry is not None:
        for hint in entry.images:
            hint_url = absolute_url(base_url, hint.url)
            if hint_url:
                images.append(
                    RawImage(url=hint_url, caption=hint.caption, credit=hint.credit, source=entry.source)
                )
    return merge_renditions(images)
