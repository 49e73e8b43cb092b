"""Write a deterministic, realistic static news site to disk for the crawl and extraction benchmarks."""

from __future__ import annotations

import argparse
import html
import json
import random
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

#: Bumped whenever the pages change, so a site cached on disk by an older generator is rebuilt.
GENERATOR_VERSION = 4

DEFAULT_DIR = Path("/tmp/newscrawl-bench-site")
DEFAULT_ARTICLES = 2000

#: Every absolute URL in the site starts with this origin; the server rewrites it to its own origin, so one
#: site on disk serves on any port. It is a closed loopback port: a URL that escapes rewriting goes nowhere.
PLACEHOLDER_ORIGIN = "http://127.0.0.1:9"
#: "Elsewhere" for share buttons and social links: off-site for any crawler, yet still loopback.
OFFSITE_ORIGIN = "http://127.0.0.2:9"

SITE_NAME = "The Bench Courier"
MANIFEST_NAME = "site.json"
TRUTH_NAME = "truth.jsonl"

#: Google News sitemaps may hold at most 1 000 URLs each.
URLS_PER_NEWS_SITEMAP = 1000
SECTION_PAGE_SIZE = 30
FEED_ITEMS = 50
TOPIC_COUNT = 120
AUTHOR_COUNT = 60
#: The newest article's publication instant; dates run backwards from it, one year for the whole site.
NEWEST = datetime(2024, 6, 30, 18, 0)
SPAN = timedelta(days=365)

SECTIONS = (
    "world",
    "politics",
    "business",
    "technology",
    "science",
    "health",
    "sport",
    "culture",
    "opinion",
    "travel",
)
UTILITY_PAGES = (
    "about",
    "contact",
    "privacy",
    "terms",
    "cookies",
    "newsletters",
    "apps",
    "careers",
    "advertise",
    "corrections",
    "accessibility",
    "subscribe",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
FIRST_NAMES = (
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Liam",
    "Maya",
    "Nils",
    "Olga",
    "Pavel",
    "Quinn",
    "Rosa",
    "Samir",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Xavier",
    "Yara",
    "Zoe",
    "Aiko",
    "Bruno",
    "Chloe",
    "Dmitri",
)
LAST_NAMES = (
    "Andersen",
    "Baptiste",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Gallo",
    "Hartmann",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Schneider",
    "Tanaka",
    "Urban",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zielinski",
)
AGENCIES = ("Northwind Images", "Harbour Press Photo", "Meridian Pictures", "Atlas Newswire", "Staff")

#: Plain English words at the head of the frequency list, so sentences read like text, not like syllable soup.
COMMON_WORDS = (  # noqa: SIM905  # a list literal of 200 words would be 200 lines
    "the of and to in a is that for it as was with be by on not he this are or his from at which but "
    "have an they you were her she there been one all we their has would when if more no out so said "
    "what up its about into than them can only other new some could time these two may then do first any "
    "my now such like our over man me even most made after also did many before must through back years "
    "where much your way well down should because each just those people how too little state good very "
    "make world still own see men work long get here between both life being under never day same "
    "another know while last might us great old year off come since against go came right used take "
    "three government minister city market report police court week company council plan officials data "
    "study vote economy season team players health school water energy prices workers election budget "
    "policy country region support public local national "
).split()
SYLLABLES = (
    "ka",
    "lo",
    "mer",
    "tan",
    "vi",
    "sol",
    "ri",
    "den",
    "bra",
    "cor",
    "el",
    "fin",
    "gal",
    "hor",
    "is",
    "jun",
    "kel",
    "lum",
    "mon",
    "nor",
    "ost",
    "pra",
    "qua",
    "ren",
    "sta",
    "tur",
    "ul",
    "ves",
    "wor",
    "yan",
    "zen",
    "ther",
    "ing",
    "tion",
    "ment",
    "al",
    "er",
    "on",
    "an",
    "ad",
)


@dataclass(frozen=True)
class SiteParams:
    """What decides a site's bytes: the same parameters always give the same site."""

    articles: int = DEFAULT_ARTICLES
    seed: int = 1
    generator_version: int = GENERATOR_VERSION


@dataclass
class SiteManifest:
    """What was written, saved as ``site.json`` beside the pages."""

    params: SiteParams
    pages: int = 0
    """HTML pages a link-following crawl can reach from the home page."""
    article_pages: int = 0
    bytes: int = 0
    """Total size of the HTML pages."""
    sitemaps: int = 0
    feeds: int = 0
    seconds: float = 0.0
    placeholder_origin: str = PLACEHOLDER_ORIGIN
    complete: bool = False
    """False while the site is being written: an interrupted generation is redone, not reused."""

    def save(self, site_dir: Path) -> None:
        (site_dir / MANIFEST_NAME).write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, site_dir: Path) -> SiteManifest | None:
        """The manifest of a site already on disk, or None when there is none or it is unreadable."""
        try:
            raw = json.loads((site_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
            params = SiteParams(**raw.pop("params"))
            return cls(params=params, **raw)
        except (OSError, ValueError, TypeError, KeyError):
            return None


@dataclass(frozen=True)
class ArticleTruth:
    """What the generator put in one article: the answer key for extraction checks."""

    path: str
    title: str
    description: str
    authors: list[str]
    published: str
    modified: str | None
    section: str
    tags: list[str]
    paragraphs: list[str]
    """The body as a reader sees it: paragraphs and intertitles, in order."""
    cover_url: str
    cover_caption: str
    cover_credit: str
    chrome_sentinels: list[str] = field(default_factory=list)
    """Texts on the page that are not body (newsletter box, read-more box, caption): must not be in a body."""


class TextMaker:
    """Sentences from a fixed, Zipf-weighted vocabulary, so every page has different but word-like text."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        invented: set[str] = set()
        while len(invented) < 4000:
            invented.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
        self.words: list[str] = COMMON_WORDS + sorted(invented)
        weights = [1.0 / (rank + 2.7) for rank in range(len(self.words))]
        running = 0.0
        self._cumulative: list[float] = []
        for weight in weights:
            running += weight
            self._cumulative.append(running)

    def words_of(self, count: int) -> list[str]:
        return self._rng.choices(self.words, cum_weights=self._cumulative, k=count)

    def sentence(self, low: int = 8, high: int = 24) -> str:
        words = self.words_of(self._rng.randint(low, high))
        if len(words) > 10 and self._rng.random() < 0.5:
            words[self._rng.randint(3, len(words) - 4)] += ","
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self._rng.randint(2, 6)))

    def headline(self) -> str:
        words = self.words_of(self._rng.randint(6, 12))
        return " ".join(
            word.capitalize() if i == 0 or len(word) > 3 else word for i, word in enumerate(words)
        )


@dataclass
class _Article:
    index: int
    section: str
    slug: str
    title: str
    description: str
    authors: list[int]
    published: datetime
    modified: datetime | None
    tags: list[int]

    @property
    def path(self) -> str:
        return f"/{self.section}/{self.published:%Y/%m/%d}/{self.slug}-{self.index}.html"

    @property
    def image_stem(self) -> str:
        return f"/images/{self.published:%Y/%m}/{self.index}"


def _tz(moment: datetime) -> timezone:
    """A central-European zone with summer time, so the site's offsets change across the year."""
    summer = 4 <= moment.month <= 10
    return timezone(timedelta(hours=2 if summer else 1), "CEST" if summer else "CET")


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=_tz(moment))


def _human_date(moment: datetime) -> str:
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M} {moment.tzname()}"


def _slugify(text: str) -> str:
    return "-".join(text.lower().replace(",", "").split()[:8])


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


class _Site:
    """Builds every page of one site; the page chrome is rendered once and shared by all pages."""

    def __init__(self, params: SiteParams) -> None:
        self.params = params
        self.rng = random.Random(params.seed)
        self.text = TextMaker(self.rng)
        self.topics = sorted({self.rng.choice(self.text.words[150:]) for _ in range(TOPIC_COUNT * 3)})[
            :TOPIC_COUNT
        ]
        self.authors = [
            f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}" for _ in range(AUTHOR_COUNT)
        ]
        self.authors = list(dict.fromkeys(self.authors))
        self.articles = self._plan_articles()
        self.by_section: dict[str, list[_Article]] = {s: [] for s in SECTIONS}
        self.by_topic: dict[int, list[_Article]] = {t: [] for t in range(len(self.topics))}
        self.by_author: dict[int, list[_Article]] = {a: [] for a in range(len(self.authors))}
        for article in self.articles:
            self.by_section[article.section].append(article)
            for topic in article.tags:
                self.by_topic[topic].append(article)
            for author in article.authors:
                self.by_author[author].append(article)
        self.css = self._css()
        self.head_script = self._head_script()
        self.tail_script = self._tail_script()
        self.cookie_banner = self._cookie_banner()
        self.header = self._header()
        self.footer = self._footer()
        self.share = self._share_bar()

    # ---- planning ----

    def _plan_articles(self) -> list[_Article]:
        count = self.params.articles
        step = SPAN / max(count, 1)
        planned = []
        for index in range(count):
            naive = NEWEST - step * index - timedelta(minutes=self.rng.randint(0, 50))
            published = _aware(naive.replace(second=0, microsecond=0))
            modified = None
            if self.rng.random() < 0.4:
                later = naive + timedelta(minutes=self.rng.randint(20, 3000))
                modified = _aware(later.replace(second=0, microsecond=0))
            title = self.text.headline()
            planned.append(
                _Article(
                    index=index,
                    section=self.rng.choice(SECTIONS),
                    slug=_slugify(title),
                    title=title,
                    description=self.text.sentence(14, 30),
                    authors=self.rng.sample(range(len(self.authors)), self.rng.choice((1, 1, 1, 2, 2, 3))),
                    published=published,
                    modified=modified,
                    tags=self.rng.sample(range(len(self.topics)), self.rng.randint(2, 5)),
                )
            )
        return planned

    # ---- shared chrome (rendered once) ----

    def _css(self) -> str:
        rules = [
            f".c{i}{{margin:{i % 7}px {i % 5}px;padding:{i % 3}px;color:#{(i * 2654435761) % 0xFFFFFF:06x};"
            f"font-size:{12 + i % 9}px}}"
            for i in range(260)
        ]
        return "body{font-family:Georgia,serif;margin:0}.headline{font-size:2.4rem}" + "".join(rules)

    def _head_script(self) -> str:
        config = {
            "site": SITE_NAME,
            "consent": {"vendors": [f"vendor-{i}" for i in range(400)], "purposes": list(range(1, 11))},
            "ads": {
                "slots": [{"id": f"slot-{i}", "sizes": [[300, 250], [728, 90]]} for i in range(120)],
            },
        }
        return (
            "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
            f"window.__CONFIG__={json.dumps(config, separators=(',', ':'))};"
        )

    def _tail_script(self) -> str:
        handlers = "".join(
            f"document.querySelectorAll('.c{i}').forEach(function(e){{e.dataset.seen='{i}'}});"
            for i in range(90)
        )
        return f"(function(){{'use strict';{handlers}}})();"

    def _cookie_banner(self) -> str:
        text = " ".join(self.text.sentence() for _ in range(4))
        return (
            '<div id="cookie-banner" class="consent" role="dialog"><p>We use cookies. '
            f"{_esc(text)}</p><button>Accept all</button><button>Manage preferences</button>"
            '<a href="/cookies/">Cookie policy</a></div>'
        )

    def _header(self) -> str:
        links = [f'<li><a href="/{s}/">{s.capitalize()}</a></li>' for s in SECTIONS]
        links += [f'<li><a href="/topic/{t}/">{t.capitalize()}</a></li>' for t in self.topics]
        links += [f'<li><a href="/{u}/">{u.capitalize()}</a></li>' for u in UTILITY_PAGES]
        links += [
            f'<li><a href="{OFFSITE_ORIGIN}/social/{name}" rel="noopener">{name}</a></li>'
            for name in (
                "facebook",
                "x",
                "instagram",
                "youtube",
                "linkedin",
                "mastodon",
                "tiktok",
                "podcasts",
            )
        ]
        return (
            '<header class="masthead"><a class="logo" href="/"><svg width="180" height="32" aria-label="'
            f'{SITE_NAME}"><path d="{self._svg_path(60)}"/></svg></a>'
            '<form action="/search" class="search"><input name="q" type="search"></form>'
            f'<nav class="primary" aria-label="Sections"><ul>{"".join(links)}</ul></nav></header>'
        )

    def _footer(self) -> str:
        columns = []
        for group in range(6):
            items = "".join(
                f'<li><a href="/topic/{t}/">{t.capitalize()}</a></li>'
                for t in self.topics[group * 8 : group * 8 + 8]
            )
            columns.append(f'<div class="footer-col"><h4>More {group + 1}</h4><ul>{items}</ul></div>')
        utility = "".join(f'<a href="/{u}/">{u.capitalize()}</a> ' for u in UTILITY_PAGES)
        legal = " ".join(self.text.sentence() for _ in range(6))
        return (
            f'<footer class="site-footer">{"".join(columns)}<div class="utility">{utility}</div>'
            f'<p class="legal">&copy; 2024 {SITE_NAME}. {_esc(legal)}</p></footer>'
        )

    def _svg_path(self, points: int) -> str:
        return (
            "M0 0 "
            + " ".join(
                f"L{self.rng.randint(0, 64)}.{self.rng.randint(0, 9)} "
                f"{self.rng.randint(0, 64)}.{self.rng.randint(0, 9)}"
                for _ in range(points)
            )
            + " Z"
        )

    def _share_bar(self) -> str:
        buttons = "".join(
            f'<a class="share share-{name}" href="{OFFSITE_ORIGIN}/share/{name}" rel="nofollow noopener">'
            f'<svg viewBox="0 0 64 64"><path d="{self._svg_path(30)}"/></svg><span>Share on {name}</span></a>'
            for name in ("facebook", "x", "whatsapp", "email", "linkedin")
        )
        return f'<div class="share-bar">{buttons}<button class="copy-link">Copy link</button></div>'

    # ---- page assembly ----

    def _page(self, *, title: str, head_extra: str, body_class: str, main: str) -> str:
        return (
            f'<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_esc(title)}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"{head_extra}\n<style>{self.css}</style>\n<script>{self.head_script}</script>\n</head>\n"
            f'<body class="{body_class}">\n{self.cookie_banner}\n{self.header}\n<main id="main">\n{main}\n'
            f"</main>\n{self.footer}\n<script>{self.tail_script}</script>\n</body>\n</html>\n"
        )

    def _teaser(self, article: _Article, with_text: bool = True) -> str:
        image = (
            f'<a href="{article.path}"><img src="{article.image_stem}-320.jpg" alt="" width="320" '
            'height="180" loading="lazy"></a>'
        )
        teaser = f"<p>{_esc(article.description)}</p>" if with_text else ""
        return (
            f'<li class="teaser">{image}<h3><a href="{article.path}">{_esc(article.title)}</a></h3>{teaser}'
            f'<time datetime="{article.published.isoformat()}">{_human_date(article.published)}</time></li>'
        )

    def _figure(self, stem: str, caption: str, credit: str, alt: str, cover: bool) -> str:
        srcset = ", ".join(f"{stem}-{w}.jpg {w}w" for w in (400, 800, 1600))
        webp = ", ".join(f"{stem}-{w}.webp {w}w" for w in (400, 800, 1600))
        loading = "eager" if cover else "lazy"
        return (
            f'<figure class="{"cover" if cover else "inline"}"><picture>'
            f'<source type="image/webp" srcset="{webp}" sizes="(max-width: 800px) 100vw, 800px">'
            f'<img src="{stem}-800.jpg" srcset="{srcset}" sizes="(max-width: 800px) 100vw, 800px" '
            f'alt="{_esc(alt)}" width="800" height="450" loading="{loading}"></picture>'
            f'<figcaption><span class="caption">{_esc(caption)}</span> '
            f'<span class="credit">Photo: {_esc(credit)}</span></figcaption></figure>'
        )

    def article_page(self, article: _Article) -> tuple[str, ArticleTruth]:
        rng = self.rng
        url = PLACEHOLDER_ORIGIN + article.path
        names = [self.authors[a] for a in article.authors]
        tags = [self.topics[t] for t in article.tags]
        cover_caption = self.text.sentence(8, 18)
        cover_credit = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}/{rng.choice(AGENCIES)}"
        cover_alt = self.text.sentence(4, 9).rstrip(".")
        image_url = f"{PLACEHOLDER_ORIGIN}{article.image_stem}-1600.jpg"

        paragraphs: list[str] = []
        body_parts: list[str] = []
        sentinels = [cover_caption]
        blocks = rng.randint(6, 34)
        inline_at = blocks // 2
        for block in range(blocks):
            if block and block % 5 == 0:
                intertitle = self.text.headline()
                paragraphs.append(intertitle)
                body_parts.append(f"<h2>{_esc(intertitle)}</h2>")
            text = self.text.paragraph()
            paragraphs.append(text)
            body_parts.append(f"<p>{_esc(text)}</p>")
            if block == inline_at:
                caption = self.text.sentence(6, 14)
                sentinels.append(caption)
                credit = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                body_parts.append(self._figure(f"{article.image_stem}-b", caption, credit, "", cover=False))
                other = self.articles[rng.randrange(len(self.articles))]
                sentinels.append(other.title)
                body_parts.append(
                    f'<aside class="read-more"><strong>Read more:</strong> '
                    f'<a href="{other.path}">{_esc(other.title)}</a></aside>'
                )
            if block == 2:
                pitch = "Sign up to our morning briefing. " + self.text.sentence(8, 14)
                sentinels.append(pitch)
                body_parts.append(
                    f'<aside class="newsletter"><p>{_esc(pitch)}</p><form action="/newsletters/">'
                    '<input type="email" name="email"><button>Subscribe</button></form></aside>'
                )

        jsonld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "description": article.description,
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "datePublished": article.published.isoformat(),
            "dateModified": (article.modified or article.published).isoformat(),
            "author": [
                {"@type": "Person", "name": n, "url": f"{PLACEHOLDER_ORIGIN}/authors/{_slugify(n)}/"}
                for n in names
            ],
            "publisher": {
                "@type": "NewsMediaOrganization",
                "name": SITE_NAME,
                "logo": {"@type": "ImageObject", "url": f"{PLACEHOLDER_ORIGIN}/static/logo.png"},
            },
            "image": {
                "@type": "ImageObject",
                "url": image_url,
                "width": 1600,
                "height": 900,
                "caption": cover_caption,
                "creditText": cover_credit,
            },
            "articleSection": article.section.capitalize(),
            "keywords": tags,
            "inLanguage": "en-GB",
            "isAccessibleForFree": True,
        }
        breadcrumbs = {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{PLACEHOLDER_ORIGIN}/"},
                {
                    "@type": "ListItem",
                    "position": 2,
                    "name": article.section.capitalize(),
                    "item": f"{PLACEHOLDER_ORIGIN}/{article.section}/",
                },
            ],
        }
        meta = [
            f'<meta name="description" content="{_esc(article.description)}">',
            f'<meta name="author" content="{_esc(", ".join(names))}">',
            f'<meta name="keywords" content="{_esc(", ".join(tags))}">',
            f'<link rel="canonical" href="{url}">',
            f'<link rel="alternate" type="application/rss+xml" '
            f'href="{PLACEHOLDER_ORIGIN}/feeds/{article.section}.xml">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:site_name" content="{SITE_NAME}">',
            f'<meta property="og:title" content="{_esc(article.title)}">',
            f'<meta property="og:description" content="{_esc(article.description)}">',
            f'<meta property="og:url" content="{url}">',
            f'<meta property="og:image" content="{image_url}">',
            f'<meta property="og:image:alt" content="{_esc(cover_alt)}">',
            '<meta property="og:locale" content="en_GB">',
            f'<meta property="article:published_time" content="{article.published.isoformat()}">',
            f'<meta property="article:section" content="{article.section.capitalize()}">',
            *(f'<meta property="article:tag" content="{_esc(t)}">' for t in tags),
            '<meta name="twitter:card" content="summary_large_image">',
            f'<meta name="twitter:title" content="{_esc(article.title)}">',
            f'<meta name="twitter:image" content="{image_url}">',
            f'<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script>',
            f'<script type="application/ld+json">{json.dumps(breadcrumbs)}</script>',
        ]
        if article.modified:
            meta.append(f'<meta property="article:modified_time" content="{article.modified.isoformat()}">')

        byline = " and ".join(f'<a href="/authors/{_slugify(n)}/" rel="author">{_esc(n)}</a>' for n in names)
        dateline = (
            f'<time class="published" datetime="{article.published.isoformat()}">Published '
            f"{_human_date(article.published)}</time>"
        )
        if article.modified:
            dateline += (
                f' <time class="updated" datetime="{article.modified.isoformat()}">Updated '
                f"{_human_date(article.modified)}</time>"
            )
        section_list = self.by_section[article.section]
        related = [section_list[rng.randrange(len(section_list))] for _ in range(12)]
        most_read = [self.articles[rng.randrange(min(len(self.articles), 200))] for _ in range(10)]
        tag_links = "".join(f'<li><a href="/topic/{t}/" rel="tag">{_esc(t)}</a></li>' for t in tags)
        bio = self.text.sentence(12, 20)
        main = (
            f'<nav class="breadcrumb"><a href="/">Home</a> &rsaquo; '
            f'<a href="/{article.section}/">{article.section.capitalize()}</a></nav>\n'
            f'<article class="story">\n<header class="story-header">'
            f'<p class="kicker"><a href="/{article.section}/">{article.section.capitalize()}</a></p>'
            f'<h1 class="headline">{_esc(article.title)}</h1>'
            f'<p class="standfirst">{_esc(article.description)}</p>'
            f'<div class="byline">By {byline}</div><div class="dateline">{dateline}</div>'
            f"{self.share}</header>\n"
            f"{self._figure(article.image_stem, cover_caption, cover_credit, cover_alt, cover=True)}\n"
            f'<div class="story-body">\n{"".join(body_parts)}\n</div>\n'
            f'<ul class="tags">{tag_links}</ul>'
            f'<div class="author-bio"><p>{_esc(names[0])}: {_esc(bio)}</p></div>'
            f'{self.share}<section class="comments"><h2>Comments</h2><button>Show 42 comments</button>'
            "<p>Join the conversation. Comments are moderated.</p></section>\n</article>\n"
            f'<aside class="related"><h2>More on this story</h2><ul>'
            f"{''.join(self._teaser(a) for a in related)}</ul></aside>\n"
            f'<aside class="most-read"><h2>Most read</h2><ol>'
            f"{''.join(self._teaser(a, with_text=False) for a in most_read)}</ol></aside>"
        )
        page = self._page(
            title=f"{article.title} | {SITE_NAME}",
            head_extra="\n".join(meta),
            body_class=f"article section-{article.section}",
            main=main,
        )
        truth = ArticleTruth(
            path=article.path,
            title=article.title,
            description=article.description,
            authors=names,
            published=article.published.isoformat(),
            modified=article.modified.isoformat() if article.modified else None,
            section=article.section.capitalize(),
            tags=tags,
            paragraphs=paragraphs,
            cover_url=image_url,
            cover_caption=cover_caption,
            cover_credit=cover_credit,
            chrome_sentinels=sentinels,
        )
        return page, truth

    def listing_page(
        self, title: str, path: str, articles: Sequence[_Article], extra: str = "", feed: str | None = None
    ) -> str:
        head = [
            f'<link rel="canonical" href="{PLACEHOLDER_ORIGIN}{path}">',
            f'<meta property="og:title" content="{_esc(title)}">',
            '<meta property="og:type" content="website">',
        ]
        if feed:
            head.append(
                f'<link rel="alternate" type="application/rss+xml" href="{PLACEHOLDER_ORIGIN}{feed}">'
            )
        main = (
            f'<h1 class="page-title">{_esc(title)}</h1><ul class="teasers">'
            f"{''.join(self._teaser(a) for a in articles)}</ul>{extra}"
        )
        return self._page(
            title=f"{title} | {SITE_NAME}", head_extra="\n".join(head), body_class="listing", main=main
        )

    def pages(self) -> Iterator[tuple[str, str]]:
        """(path on disk relative to the root, HTML) for every non-article page."""
        blocks = "".join(
            f'<section class="home-section"><h2><a href="/{s}/">{s.capitalize()}</a></h2><ul>'
            f"{''.join(self._teaser(a, with_text=False) for a in self.by_section[s][:12])}</ul></section>"
            for s in SECTIONS
        )
        yield "index.html", self.listing_page(SITE_NAME, "/", self.articles[:60], extra=blocks)
        for section in SECTIONS:
            items = self.by_section[section]
            page_count = max(1, -(-len(items) // SECTION_PAGE_SIZE))
            for number in range(1, page_count + 1):
                path = f"/{section}/" if number == 1 else f"/{section}/page/{number}/"
                nav = "".join(
                    f'<a href="/{section}/page/{n}/">{n}</a> ' if n > 1 else f'<a href="/{section}/">1</a> '
                    for n in range(1, page_count + 1)
                )
                chunk = items[(number - 1) * SECTION_PAGE_SIZE : number * SECTION_PAGE_SIZE]
                yield (
                    f"{path.strip('/')}/index.html",
                    self.listing_page(
                        f"{section.capitalize()} – page {number}",
                        path,
                        chunk,
                        extra=f'<nav class="pagination">{nav}</nav>',
                        feed=f"/feeds/{section}.xml",
                    ),
                )
        for topic_index, topic in enumerate(self.topics):
            yield (
                f"topic/{topic}/index.html",
                self.listing_page(topic.capitalize(), f"/topic/{topic}/", self.by_topic[topic_index][:40]),
            )
        for author_index, author in enumerate(self.authors):
            if not self.by_author[author_index]:
                continue  # no byline links to it: a page no crawler could reach
            slug = _slugify(author)
            yield (
                f"authors/{slug}/index.html",
                self.listing_page(author, f"/authors/{slug}/", self.by_author[author_index][:40]),
            )
        for name in UTILITY_PAGES:
            text = "".join(f"<p>{_esc(self.text.paragraph())}</p>" for _ in range(3))
            yield f"{name}/index.html", self.listing_page(name.capitalize(), f"/{name}/", [], extra=text)

    # ---- discovery files ----

    def robots(self, sitemap_names: Sequence[str]) -> str:
        lines = ["User-agent: *", "Disallow: /search", "Disallow: /share/", ""]
        lines += [f"Sitemap: {PLACEHOLDER_ORIGIN}/{name}" for name in sitemap_names]
        return "\n".join(lines) + "\n"

    def news_sitemap(self, articles: Sequence[_Article], truths: dict[int, ArticleTruth]) -> str:
        entries = []
        for article in articles:
            truth = truths[article.index]
            lastmod = (article.modified or article.published).isoformat()
            entries.append(
                f"<url><loc>{PLACEHOLDER_ORIGIN}{article.path}</loc><lastmod>{lastmod}</lastmod>"
                f"<news:news><news:publication><news:name>{SITE_NAME}</news:name>"
                "<news:language>en</news:language></news:publication>"
                f"<news:publication_date>{article.published.isoformat()}</news:publication_date>"
                f"<news:title>{_esc(article.title)}</news:title>"
                f"<news:keywords>{_esc(', '.join(truth.tags))}</news:keywords></news:news>"
                f"<image:image><image:loc>{truth.cover_url}</image:loc>"
                f"<image:caption>{_esc(truth.cover_caption)}</image:caption></image:image></url>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
            'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n'
            + "\n".join(entries)
            + "\n</urlset>\n"
        )

    def pages_sitemap(self, paths: Sequence[str]) -> str:
        entries = "\n".join(f"<url><loc>{PLACEHOLDER_ORIGIN}{p}</loc></url>" for p in paths)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}\n</urlset>\n'
        )

    def sitemap_index(self, names: Sequence[str]) -> str:
        entries = "\n".join(
            f"<sitemap><loc>{PLACEHOLDER_ORIGIN}/{n}</loc><lastmod>{_aware(NEWEST).isoformat()}</lastmod></sitemap>"
            for n in names
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}\n</sitemapindex>\n'
        )

    def feed(self, section: str, truths: dict[int, ArticleTruth]) -> str:
        items = []
        for article in self.by_section[section][:FEED_ITEMS]:
            truth = truths[article.index]
            creators = "".join(f"<dc:creator>{_esc(n)}</dc:creator>" for n in truth.authors)
            categories = "".join(f"<category>{_esc(t)}</category>" for t in truth.tags)
            items.append(
                f"<item><title>{_esc(article.title)}</title><link>{PLACEHOLDER_ORIGIN}{article.path}</link>"
                f'<guid isPermaLink="true">{PLACEHOLDER_ORIGIN}{article.path}</guid>'
                f"<pubDate>{format_datetime(article.published)}</pubDate>{creators}{categories}"
                f"<description>{_esc(article.description)}</description>"
                f'<media:content url="{truth.cover_url}" medium="image" width="1600" height="900">'
                f"<media:description>{_esc(truth.cover_caption)}</media:description>"
                f"<media:credit>{_esc(truth.cover_credit)}</media:credit></media:content></item>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" '
            'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            f"<title>{SITE_NAME}: {section.capitalize()}</title><link>{PLACEHOLDER_ORIGIN}/{section}/</link>"
            f'<atom:link href="{PLACEHOLDER_ORIGIN}/feeds/{section}.xml" rel="self" '
            'type="application/rss+xml"/>'
            f"<description>Latest {section} news</description><language>en-gb</language>"
            + "".join(items)
            + "</channel></rss>\n"
        )


def generate_site(out_dir: Path, params: SiteParams = SiteParams()) -> SiteManifest:
    """Write the whole site for ``params`` into ``out_dir`` (replacing a site generated there before).

    Raises ``FileExistsError`` when ``out_dir`` holds anything that is not a generated site, so a typo in
    the path can never delete someone's files.
    """
    if params.articles < 1:
        raise ValueError(f"a site needs at least one article, not {params.articles}")
    if out_dir.exists():
        if not (out_dir / MANIFEST_NAME).is_file() and any(out_dir.iterdir()):
            raise FileExistsError(
                f"{out_dir} is not empty and holds no {MANIFEST_NAME}: refusing to replace it"
            )
        shutil.rmtree(out_dir)
    started = time.perf_counter()
    site = _Site(params)
    manifest = SiteManifest(params=params)
    made_dirs: set[Path] = set()

    def write(relative: str, text: str) -> None:
        target = out_dir / relative
        if target.parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(target.parent)
        data = text.encode("utf-8")
        target.write_bytes(data)
        if relative.endswith(".html"):
            manifest.pages += 1
            manifest.bytes += len(data)

    out_dir.mkdir(parents=True)
    manifest.save(out_dir)
    truths: dict[int, ArticleTruth] = {}
    with (out_dir / TRUTH_NAME).open("w", encoding="utf-8") as truth_file:
        for article in site.articles:
            page, truth = site.article_page(article)
            write(article.path.lstrip("/"), page)
            truths[article.index] = truth
            truth_file.write(json.dumps(asdict(truth), ensure_ascii=False) + "\n")
    manifest.article_pages = len(site.articles)
    listing_paths = []
    for relative, page in site.pages():
        write(relative, page)
        listing_paths.append("/" + relative.removesuffix("index.html"))

    sitemap_names = []
    for chunk_start in range(0, len(site.articles), URLS_PER_NEWS_SITEMAP):
        name = f"sitemaps/news-{chunk_start // URLS_PER_NEWS_SITEMAP + 1:04d}.xml"
        write(
            name, site.news_sitemap(site.articles[chunk_start : chunk_start + URLS_PER_NEWS_SITEMAP], truths)
        )
        sitemap_names.append(name)
    write("sitemaps/pages.xml", site.pages_sitemap(listing_paths))
    sitemap_names.append("sitemaps/pages.xml")
    write("sitemap_index.xml", site.sitemap_index(sitemap_names))
    manifest.sitemaps = len(sitemap_names) + 1
    write("robots.txt", site.robots(["sitemap_index.xml"]))
    for section in SECTIONS:
        write(f"feeds/{section}.xml", site.feed(section, truths))
    manifest.feeds = len(SECTIONS)
    manifest.seconds = round(time.perf_counter() - started, 2)
    manifest.complete = True
    manifest.save(out_dir)
    return manifest


def ensure_site(out_dir: Path, params: SiteParams = SiteParams()) -> SiteManifest:
    """The site for ``params`` in ``out_dir``: reused when already there, generated otherwise."""
    existing = SiteManifest.load(out_dir)
    if existing is not None and existing.params == params and existing.complete:
        return existing
    return generate_site(out_dir, params)


def load_truth(site_dir: Path) -> list[ArticleTruth]:
    """The answer key the generator wrote beside the pages, one entry per article."""
    with (site_dir / TRUTH_NAME).open(encoding="utf-8") as lines:
        return [ArticleTruth(**json.loads(line)) for line in lines]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--force", action="store_true", help="regenerate even when the site is already there")
    args = parser.parse_args(argv)
    params = SiteParams(articles=args.articles, seed=args.seed)
    manifest = generate_site(args.out, params) if args.force else ensure_site(args.out, params)
    print(json.dumps(asdict(manifest)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
