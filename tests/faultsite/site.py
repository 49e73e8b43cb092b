"""The fault site's pages: one article per fault, plus hostile sitemaps and feeds, as route tables."""

from __future__ import annotations

import html
import os

from faultsite.server import (
    Handler,
    delayed,
    gzip_bomb_bytes,
    gzipped,
    huge_page,
    redirect,
    reset_mid_body,
    respond,
    sequence,
    stall,
    truncated,
)

WORDS = (
    "The council met on Tuesday evening to discuss the new budget for the harbour district, where residents "
    "have asked for safer crossings, more frequent buses and a library that stays open later in the week. "
    "Officials said the plan would be published in full after a final vote next month."
)


def article_html(
    slug: str,
    title: str,
    *,
    paragraphs: tuple[str, ...] = (),
    head: str = "",
    links: str = "",
    charset_meta: str | None = "utf-8",
) -> str:
    """A plain news article page; ``Marker <slug>`` in its body lets a test find it in the output."""
    body = paragraphs or (f"Marker {slug}. {WORDS}", WORDS, f"{WORDS} End of {slug}.")
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    paras = links + "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    return (
        f'<!DOCTYPE html><html lang="en"><head>{meta}<title>{html.escape(title)}</title>{head}</head>'
        f'<body><header><a href="/">Home</a></header><main><article><h1>{html.escape(title)}</h1>'
        f'<p class="byline">By Ana Example</p>{paras}</article></main></body></html>'
    )


def article(slug: str, title: str | None = None, **kwargs: object) -> bytes:
    return article_html(slug, title or f"Story {slug}", **kwargs).encode("utf-8")  # type: ignore[arg-type]


def home(links: list[str], feeds: list[str] = ()) -> Handler:  # type: ignore[assignment]
    anchors = "".join(f'<li><a href="{html.escape(u)}">{html.escape(u)}</a></li>' for u in links)
    alternates = "".join(f'<link rel="alternate" type="application/rss+xml" href="{u}">' for u in feeds)
    page = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Fault News</title>{alternates}</head>'
        f"<body><h1>Fault News</h1><ul>{anchors}</ul></body></html>"
    )
    return respond(page)


def urlset(urls: list[str]) -> str:
    entries = "".join(f"<url><loc>{html.escape(u)}</loc></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'


XML = "application/xml"
A = "/2024/03/05/"  # article URLs carry a date, which the generic rule takes for an article

# ---- content that is hostile to parsers -------------------------------------------------------------------

CYRILLIC = (
    "Городской совет обсудил новый бюджет района гавани, где жители просят безопасные переходы, "
    "более частые автобусы и библиотеку, которая работает дольше. "
) * 3
JAPANESE = (
    "市議会は火曜日の夜、港湾地区の新しい予算について話し合い、住民は安全な横断歩道と"
    "より頻繁なバスを求めました。"
) * 3
FRENCH = "Le café de la Mairie a rouvert après les travaux d'été; les élèves y déjeunent à nouveau. " * 6


def encoded_article(slug: str, text: str, encoding: str, charset_meta: str | None) -> bytes:
    page = article_html(
        slug, f"Story {slug}", paragraphs=(f"Marker {slug}.", text, text), charset_meta=charset_meta
    )
    return page.encode(encoding)


def deep_nesting(depth: int) -> bytes:
    inner = article_html("deep-nesting", "Deeply nested page")
    return ("<div>" * depth + inner + "</div>" * depth).encode()


def huge_jsonld(size: int) -> bytes:
    blob = (
        '{"@context":"https://schema.org","@type":"NewsArticle","headline":"Huge JSON-LD","articleBody":"'
        + "word " * (size // 5)
        + '"}'
    )
    return article("huge-jsonld", "Huge JSON-LD", head=f'<script type="application/ld+json">{blob}</script>')


def bad_dates() -> bytes:
    head = (
        '<meta property="article:published_time" content="0000-00-00T00:00:00Z">'
        '<meta property="article:modified_time" content="0000-00-00">'
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Impossible dates",'
        '"datePublished":"20230-01-01T10:00:00Z","dateModified":"0000-00-00"}</script>'
    )
    return article("impossible-dates", "Impossible dates", head=head)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/2024/03/05/laughs-&lol9;.html</loc></url>
<url><loc>{base}/2024/03/05/after-laughs.html</loc></url>
</urlset>"""

XXE_SITEMAP = """<?xml version="1.0"?>
<!DOCTYPE urlset [
 <!ENTITY file SYSTEM "file:///etc/passwd">
 <!ENTITY canary SYSTEM "{base}/xxe-canary">
 <!ENTITY % remote SYSTEM "{base}/xxe-canary-dtd"> %remote;
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/2024/03/05/after-xxe.html</loc>
<news:news><news:publication><news:name>x</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2024-03-05T10:00:00+01:00</news:publication_date>
<news:title>XXE &file; &canary;</news:title></news:news></url>
</urlset>"""

XXE_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY file SYSTEM "file:///etc/passwd">
 <!ENTITY canary SYSTEM "{base}/xxe-canary-feed">
]>
<rss version="2.0"><channel><title>Fault feed</title><link>{base}/</link>
<item><title>Feed &file; &canary;</title><link>{base}/2024/03/05/from-feed.html</link>
<description>&file;</description><pubDate>Tue, 05 Mar 2024 10:00:00 +0100</pubDate></item>
</channel></rss>"""

MALFORMED_SITEMAP = """<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/2024/03/05/from-malformed.html</loc></url>
<url><loc>{base}/2024/03/05/broken & unescaped <b>tag</url>
<url><loc>"""


def fault_routes(base: str, offsite_base: str) -> dict[str, Handler]:
    """Crawl A: every HTTP, content and XML fault, reachable from the home page, robots.txt and its feed."""
    truncated_body = article("truncated")
    mid = len(truncated_body) // 2
    listing = (
        '<html><body><a href="'
        + A
        + 'linked-from-truncated.html">a story</a>'
        + "<p>"
        + WORDS * 20
        + "</p></body></html>"
    ).encode()
    routes: dict[str, Handler] = {
        "/robots.txt": respond(
            "User-agent: *\nDisallow: /private/\n"
            f"Sitemap: {base}/sitemap-laughs.xml\nSitemap: {base}/sitemap-xxe.xml\n"
            f"Sitemap: {base}/sitemap-self.xml\nSitemap: {base}/sitemap-malformed.xml\n",
            content_type="text/plain",
        ),
        # HTTP faults
        f"{A}flaky-503.html": sequence(
            respond("busy", 503), respond("bad gateway", 502), respond(article("flaky-503"))
        ),
        f"{A}flaky-500.html": sequence(respond("oops", 500), respond(article("flaky-500"))),
        f"{A}rate-limited.html": sequence(
            respond("slow down", 429, headers={"Retry-After": "1"}), respond(article("rate-limited"))
        ),
        f"{A}always-500.html": respond("broken", 500),
        f"{A}missing.html": respond("<h1>no such page</h1>", 404),
        f"{A}gone.html": respond("<h1>gone</h1>", 410),
        f"{A}moved-1.html": redirect(f"{A}moved-2.html", 301),
        f"{A}moved-2.html": redirect(f"{base}{A}moved-3.html", 302),
        f"{A}moved-3.html": redirect(f"{A}final-destination.html", 307),
        f"{A}final-destination.html": respond(article("final-destination")),
        f"{A}loop-a.html": redirect(f"{A}loop-b.html"),
        f"{A}loop-b.html": redirect(f"{A}loop-a.html"),
        f"{A}redirect-offsite.html": redirect(f"{offsite_base}{A}elsewhere.html"),
        f"{A}slow.html": stall(20),
        f"{A}reset.html": reset_mid_body(article("reset"), 300),
        f"{A}truncated.html": truncated(truncated_body[:mid], len(truncated_body)),
        "/section/truncated/": truncated(listing[: len(listing) // 2], len(listing)),
        f"{A}linked-from-truncated.html": respond(article("linked-from-truncated")),
        f"{A}binary.html": respond(os.urandom(200_000), content_type="text/html"),
        f"{A}gzip-bomb.html": gzipped(gzip_bomb_bytes(256 * 1024 * 1024)),
        f"{A}tarpit.html": delayed(0.2, respond(article("tarpit"))),
        # content faults
        f"{A}cyrillic.html": respond(
            encoded_article("cyrillic", CYRILLIC, "cp1251", None), content_type="text/html"
        ),
        f"{A}japanese.html": respond(
            encoded_article("japanese", JAPANESE, "shift_jis", None), content_type="text/html"
        ),
        f"{A}latin1-utf8-meta.html": respond(
            encoded_article("latin1-utf8-meta", FRENCH, "latin-1", "utf-8"), content_type="text/html"
        ),
        # The server's default label (ISO-8859-1) on a UTF-8 page that says so in its own meta: every byte
        # decodes as Latin-1 ("cafÃ©"), so no decoding error gives it away.
        f"{A}utf8-latin1-header.html": respond(
            encoded_article("utf8-latin1-header", FRENCH, "utf-8", "utf-8"),
            content_type="text/html; charset=ISO-8859-1",
        ),
        f"{A}malformed.html": respond(
            "<html><head><title>Malformed page</title><body><div><p>Marker malformed. "
            + WORDS
            + "<p>"
            + WORDS
            + "</span></div></div></b><table><tr><td>"
            + WORDS
            + '<p x="unterminated>'
        ),
        f"{A}deep-nesting.html": respond(deep_nesting(200_000)),
        f"{A}invalid-jsonld.html": respond(
            article(
                "invalid-jsonld",
                head='<script type="application/ld+json">{"@type": "NewsArticle",, "headline": </script>',
            )
        ),
        f"{A}huge-jsonld.html": respond(huge_jsonld(5 * 1024 * 1024)),
        f"{A}impossible-dates.html": respond(bad_dates()),
        "/section/many-links/": respond(
            "<html><body>"
            + "".join(f'<a href="/people/{n}">person {n}</a>' for n in range(5000))
            + "".join(f'<a href="{offsite_base}{A}offsite-{n}.html">off {n}</a>' for n in range(5000))
            + "</body></html>"
        ),
        f"/private{A}secret.html": respond(article("secret")),
        f"{A}after-laughs.html": respond(article("after-laughs")),
        f"{A}after-xxe.html": respond(article("after-xxe")),
        f"{A}from-feed.html": respond(article("from-feed")),
        f"{A}from-malformed.html": respond(article("from-malformed")),
        # hostile XML
        "/sitemap-laughs.xml": respond(BILLION_LAUGHS.replace("{base}", base), content_type=XML),
        "/sitemap-xxe.xml": respond(XXE_SITEMAP.replace("{base}", base), content_type=XML),
        "/feed-xxe.xml": respond(XXE_FEED.replace("{base}", base), content_type="application/rss+xml"),
        "/sitemap-self.xml": respond(
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemap-self.xml</loc></sitemap>"
            f"<sitemap><loc>{base}/sitemap-child.xml</loc></sitemap></sitemapindex>",
            content_type=XML,
        ),
        "/sitemap-child.xml": respond(
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemap-self.xml</loc></sitemap></sitemapindex>",
            content_type=XML,
        ),
        "/sitemap-malformed.xml": respond(MALFORMED_SITEMAP.replace("{base}", base), content_type=XML),
    }
    discovered_elsewhere = {
        f"{A}{slug}.html"
        for slug in ("linked-from-truncated", "after-laughs", "after-xxe", "from-feed", "from-malformed")
    }
    links = [p for p in routes if p.startswith(A) and p not in discovered_elsewhere]
    links += [
        "/section/many-links/",
        "/section/truncated/",
        f"/private{A}secret.html",
        f"{offsite_base}{A}offsite-link.html",
    ]
    routes["/"] = home(links, feeds=["/feed-xxe.xml"])
    return routes


def memory_routes() -> dict[str, Handler]:
    """Crawl B: pages that would take gigabytes if nothing bounded them."""
    size = 50 * 1024 * 1024
    routes: dict[str, Handler] = {
        "/robots.txt": respond("User-agent: *\nAllow: /\n", content_type="text/plain"),
        f"{A}huge-declared.html": huge_page(size, declare_length=True),
        f"{A}huge-chunked.html": huge_page(size, declare_length=False),
        f"{A}gzip-bomb.html": gzipped(gzip_bomb_bytes(1024 * 1024 * 1024)),
        f"{A}after-the-bombs.html": respond(article("after-the-bombs")),
    }
    routes["/"] = home([p for p in routes if p.startswith(A)])
    return routes


def politeness_routes(crawl_delay: float) -> dict[str, Handler]:
    """Crawl C: a site that states its manners in robots.txt and with 429 + Retry-After."""
    routes: dict[str, Handler] = {
        "/robots.txt": respond(
            f"User-agent: *\nCrawl-delay: {crawl_delay:g}\nDisallow: /private/\n", content_type="text/plain"
        ),
        f"{A}one.html": respond(article("one")),
        f"{A}two.html": respond(article("two")),
        f"{A}busy.html": sequence(
            respond("slow down", 429, headers={"Retry-After": "2"}), respond(article("busy"))
        ),
        f"/private{A}secret.html": respond(article("secret")),
    }
    routes["/"] = home([p for p in routes if p != "/robots.txt"])
    return routes


def big_sitemap_routes(base: str, offsite_base: str, count: int) -> dict[str, Handler]:
    """Crawl D: a sitemap at the protocol's 50 000-URL limit, all but one URL off-site (never fetched)."""
    urls = [f"{offsite_base}{A}story-{n}.html" for n in range(count - 1)] + [f"{base}{A}last-entry.html"]
    return {
        "/robots.txt": respond(
            f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap-big.xml\n",
            content_type="text/plain",
        ),
        "/sitemap-big.xml": respond(urlset(urls), content_type=XML),
        f"{A}last-entry.html": respond(article("last-entry")),
        "/": home([]),
    }
