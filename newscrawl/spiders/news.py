"""The `news` spider: decides what to fetch (robots.txt, sitemaps, feeds, sections, articles)."""

from __future__ import annotations

import dataclasses
import logging
import sys
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.utils.log import SpiderLoggerAdapter

from newscrawl.budget import BudgetExceeded, time_limit
from newscrawl.discovery import (
    DiscoveryError,
    classify_url,
    feed_links,
    page_links,
    parse_feed,
    parse_sitemap,
    sitemaps_from_robots,
    sniff,
)
from newscrawl.discovery.links import parse_page
from newscrawl.extraction import extract_raw
from newscrawl.hints import ENTRY_META, EntryHints
from newscrawl.normalize.urls import strip_tracking
from newscrawl.sites.registry import get_site, spec_for_url
from newscrawl.sites.spec import SiteSpec

# Request.meta keys this spider sets. ENTRY_META (on every article request, even when None) is also how the
# state add-on (newscrawl/state/extension.py) tells an article request from a discovery one.
DEPTH_META = "newscrawl_listing_depth"

_Document = TypeVar("_Document")


def _resolve(base_url: str, path_or_url: str) -> str:
    """A start point as an absolute URL: the registry resolves a site file's paths already, but a SiteSpec
    built in code may still give paths, which its ``base_url`` (the SiteSpec contract) completes."""
    if urlsplit(path_or_url).scheme:
        return path_or_url
    return base_url.rstrip("/") + "/" + path_or_url.lstrip("/")


def _content_type(response: Response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None


def _rebase(spec: SiteSpec, base_url: str) -> SiteSpec:
    """The same site served from another origin (a staging mirror, the demo site on a free port)."""
    target = urlsplit(base_url)
    host = target.hostname or ""
    registered_netloc = urlsplit(spec.base_url).netloc

    def move(url: str) -> str:
        u = urlsplit(url)
        if u.netloc != registered_netloc:
            return url
        return urlunsplit((target.scheme, target.netloc, u.path, u.query, u.fragment))

    domains = spec.domains if host in spec.domains else (host, *spec.domains)
    return dataclasses.replace(
        spec,
        base_url=base_url.rstrip("/"),
        domains=domains,
        homepages=tuple(move(u) for u in spec.homepages),
        sections=tuple(move(u) for u in spec.sections),
        sitemaps=tuple(move(u) for u in spec.sitemaps),
        feeds=tuple(move(u) for u in spec.feeds),
    )


def _compact(entry: EntryHints, request_url: str) -> EntryHints:
    """The same hints holding fewer strings, for the time the request waits in the scheduler.

    A sitemap is read long before its articles are fetched, so every entry of every sitemap waits in
    memory at once (~2 KB each, with its request; 40 MB at 20 000 articles). The entry's URL is the
    request's, ``lastmod`` usually repeats the publication date, and languages and keywords repeat
    across entries: sharing one string for each saves a sixth.
    """
    return dataclasses.replace(
        entry,
        url=request_url if entry.url == request_url else entry.url,
        modified=entry.published if entry.modified == entry.published else entry.modified,
        language=sys.intern(entry.language) if entry.language else entry.language,
        tags=tuple(sys.intern(tag) for tag in entry.tags),
    )


class NewsSpider(scrapy.Spider):
    """Crawl one news site for articles.

    Arguments (``-a NAME=VALUE``):

    * ``site``: id of a registered site (``newscrawl/sites/*.toml``); its start points, URL rules and locale
      apply.
    * ``url``: any homepage, section page, sitemap or feed URL, for sites without a spec. What the URL is is
      sniffed from the response; for a homepage, the sitemaps of its robots.txt are read too.
    * ``base_url``: with ``site``, serve the registered site from another origin (a mirror, the demo server).

    Exactly one of ``site`` and ``url`` is required.
    """

    name = "news"

    def __init__(self, site: str | None = None, url: str | None = None, base_url: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if bool(site) == bool(url):
            raise ValueError("give exactly one of -a site=ID (a registered site) or -a url=URL (any site)")
        self.start_url = url
        spec = get_site(site) if site else spec_for_url(url or "")
        if base_url:
            spec = _rebase(spec, base_url)
        self.spec: SiteSpec = spec
        # The feed exporter's URI template reads this attribute: output/<site>/<site>-<time>.jsonl
        self.site_id = spec.id
        self.allowed_domains = list(spec.domains)
        self._seen_sitemaps: set[str] = set()
        # Hosts whose robots.txt Sitemap lines are awaited from Scrapy's RobotsTxtMiddleware.
        self._robots_sitemap_hosts: set[str] = set()

    @property
    def logger(self) -> SpiderLoggerAdapter:
        # "[news.<site>]" on each line: `scrapy crawlsites` interleaves the lines of many sites in one log.
        site = getattr(self, "site_id", None)  # unset until __init__ has read the site
        name = f"{self.name}.{site}" if site else self.name
        return SpiderLoggerAdapter(logging.getLogger(name), {"spider": self})

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        contact = settings.get("NEWSCRAWL_CONTACT_URL")
        agent = settings.get("USER_AGENT", "newscrawl")
        if contact and contact not in agent:
            settings.set("USER_AGENT", f"{agent} (+{contact})", priority="spider")
        if not settings.getdict("FEEDS"):
            out = settings.get("NEWSCRAWL_OUTPUT_DIR", "output").rstrip("/")
            settings.set(
                "FEEDS",
                {
                    f"{out}/%(site_id)s/%(site_id)s-%(time)s.jsonl": {
                        "format": "jsonlines",
                        "encoding": "utf-8",
                        "item_classes": ["newscrawl.items.Article"],
                    }
                },
                priority="spider",
            )

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.listing_depth = settings.getint("NEWSCRAWL_LISTING_DEPTH", 1)
        spider.follow_article_links = settings.getbool("NEWSCRAWL_FOLLOW_ARTICLE_LINKS", False)
        spider.extraction_timeout = settings.getfloat("NEWSCRAWL_EXTRACTION_TIMEOUT", 10.0)
        spider.discovery_timeout = settings.getfloat("NEWSCRAWL_DISCOVERY_TIMEOUT", 30.0)
        spider.robots_from_middleware = settings.getbool("ROBOTSTXT_OBEY")
        if spider.robots_from_middleware:
            crawler.signals.connect(spider._robots_parsed, signal=signals.robots_parsed)
        return spider

    listing_depth: int = 1
    follow_article_links: bool = False
    extraction_timeout: float = 10.0
    discovery_timeout: float = 30.0
    robots_from_middleware: bool = False

    # ---------------------------------------------------------------------------------------------- seeds
    async def start(self) -> AsyncIterator[Request]:
        # A distributed worker (NEWSCRAWL_REDIS_URL) takes its seeds from Redis, pushed once by
        # `newscrawl seed`: N workers must not fetch the start points N times.
        if self.settings.get("NEWSCRAWL_REDIS_URL"):
            return
        for request in self._seed_requests(share_robots_fetch=self.robots_from_middleware):
            yield request

    def _seed_requests(self, *, share_robots_fetch: bool = False) -> Iterator[Request]:
        """The crawl's start requests. ``share_robots_fetch`` (this process runs them, with ROBOTSTXT_OBEY on):
        read robots.txt Sitemap lines from the fetch Scrapy makes anyway instead of a request of our own;
        off for seeds pushed to other processes (``newscrawl seed``), which need the request itself."""
        start_points = list(self._start_point_requests())
        robots_origin = self._robots_origin()
        if robots_origin is not None:
            netloc = urlsplit(robots_origin).netloc
            if share_robots_fetch and any(urlsplit(r.url).netloc == netloc for r in start_points):
                # Scrapy's RobotsTxtMiddleware fetches this robots.txt anyway, before the first request to the
                # host; its Sitemap lines reach the spider through the robots_parsed signal: one fetch, not two.
                self._robots_sitemap_hosts.add(netloc)
            else:
                yield self._robots_request(robots_origin)
        yield from start_points

    def _robots_origin(self) -> str | None:
        """The site whose robots.txt ``Sitemap:`` lines seed the crawl, if any."""
        if not self.spec.use_robots_sitemaps:
            return None
        if self.start_url:
            # A homepage means "the site"; a section, sitemap or feed URL means just that.
            return self.start_url if urlsplit(self.start_url).path in ("", "/") else None
        return self.spec.base_url

    def _start_point_requests(self) -> Iterator[Request]:
        spec = self.spec
        if self.start_url:
            yield Request(self.start_url, callback=self.parse_any, meta={DEPTH_META: 0}, priority=10)
            return
        for url in spec.sitemaps:
            yield from self._sitemap_request(_resolve(spec.base_url, url))
        for url in spec.feeds:
            yield Request(_resolve(spec.base_url, url), callback=self.parse_feed, priority=10)
        for url in (*spec.homepages, *spec.sections):
            yield Request(_resolve(spec.base_url, url), callback=self.parse_listing, meta={DEPTH_META: 0},
                          priority=5)

    def _robots_parsed(self, robotparser: Any, request: Request) -> None:
        """Signal handler: the robots.txt Scrapy fetched for a host; schedule the sitemaps it lists."""
        parts = urlsplit(request.url)
        if parts.netloc not in self._robots_sitemap_hosts or self.crawler.engine is None:
            return
        self._robots_sitemap_hosts.discard(parts.netloc)
        origin = f"{parts.scheme}://{parts.netloc}/"
        listed = getattr(getattr(robotparser, "rp", None), "sitemaps", None)
        if listed is None:
            # A ROBOTSTXT_PARSER that does not expose Sitemap lines: read robots.txt ourselves.
            self.crawler.engine.crawl(self._robots_request(origin))
            return
        for url in dict.fromkeys(urljoin(origin, line.strip()) for line in listed if line.strip()):
            for sitemap_request in self._sitemap_request(url):
                self.crawler.engine.crawl(sitemap_request)

    def _robots_request(self, url: str) -> Request:
        parts = urlsplit(url)
        robots = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        # robots.txt may be missing or an error page: that only means no sitemaps from it.
        return Request(robots, callback=self.parse_robots, errback=self._count_failure, priority=20,
                       meta={"handle_httpstatus_list": [404, 410]})

    def _sitemap_request(self, url: str) -> Iterator[Request]:
        # An index may list itself or another index that lists it back: each sitemap is read once per run.
        if url in self._seen_sitemaps:
            self._stat("newscrawl/discovery/sitemap_loops")
            return
        self._seen_sitemaps.add(url)
        # dont_filter: a sitemap re-read on the next scheduled run must not be taken for a duplicate request.
        yield Request(url, callback=self.parse_sitemap, priority=15, dont_filter=True)

    # ---------------------------------------------------------------------------------------------- callbacks
    def parse_any(self, response: Response) -> Iterator[Request | Any]:
        """A start URL given with ``-a url=``: decide from the response what it is."""
        kind = sniff(response.body, _content_type(response), response.url)
        self._stat(f"newscrawl/discovery/start_kind/{kind}")
        if kind == "sitemap":
            self._seen_sitemaps.add(response.url)
            yield from self.parse_sitemap(response)
        elif kind == "feed":
            yield from self.parse_feed(response)
        elif kind == "html":
            if classify_url(response.url, self.spec) == "article":
                yield from self.parse_article(response)
            else:
                yield from self.parse_listing(response)
        else:
            self._stat("newscrawl/discovery/start_unreadable")
            self.logger.error("start URL %s is neither HTML, a sitemap nor a feed", response.url)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        if response.status != 200:
            return
        for url in sitemaps_from_robots(response.text, response.url):
            yield from self._sitemap_request(url)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        document = self._read_document("sitemap", parse_sitemap, response)
        if document is None:
            return
        self._stat("newscrawl/discovery/sitemaps")
        if document.skipped:
            self._stat("newscrawl/discovery/sitemap_entries_skipped", document.skipped)
        for ref in document.sitemaps:
            yield from self._sitemap_request(ref.url)
        for entry in document.entries:
            # A news sitemap entry is an article by definition; a plain urlset also lists sections and tags.
            is_news = entry.published is not None or entry.title is not None
            if is_news or classify_url(entry.url, self.spec) == "article":
                yield self._article_request(entry.url, entry)
            else:
                self._stat("newscrawl/discovery/sitemap_entries_not_article")

    def parse_feed(self, response: Response) -> Iterator[Request]:
        document = self._read_document("feed", parse_feed, response)
        if document is None:
            return
        self._stat("newscrawl/discovery/feeds")
        if document.skipped:
            self._stat("newscrawl/discovery/feed_entries_skipped", document.skipped)
        for entry in document.entries:
            yield self._article_request(entry.url, entry)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        """A home or section page: articles it links, feeds it declares, and sections below it."""
        if not self._is_html(response):
            return
        self._stat("newscrawl/discovery/listings")
        depth = int(response.meta.get(DEPTH_META, 0))
        try:
            with time_limit(self.discovery_timeout):
                page = parse_page(response.body)  # once for its feeds and its links
                feeds = feed_links(page, response.url)
                links = page_links(page, response.url)
        except BudgetExceeded:
            self._over_budget("listing", response, self.discovery_timeout)
            return
        for url in feeds:
            yield Request(url, callback=self.parse_feed, priority=10)
        yield from self._follow_links(links, depth)

    def parse_article(self, response: Response) -> Iterator[Any]:
        if not self._is_html(response):
            return
        entry: EntryHints | None = response.meta.get(ENTRY_META)
        assert isinstance(response, TextResponse)  # _is_html said so
        try:
            with time_limit(self.extraction_timeout):
                raw = extract_raw(response.body, response.url, entry=entry, fetched_at=datetime.now(UTC),
                                  encoding=response.encoding)
        except BudgetExceeded:
            self._over_budget("extraction", response, self.extraction_timeout)
            return
        self._stat("newscrawl/articles/extracted")
        yield raw
        if self.follow_article_links:
            yield from self._follow_links(page_links(response.body, response.url), self.listing_depth)

    # ---------------------------------------------------------------------------------------------- helpers
    def _read_document(self, kind: Literal["sitemap", "feed"], parse: Callable[[bytes, str], _Document],
                       response: Response) -> _Document | None:
        """``parse`` the body within the discovery budget; None, counted and logged, when over it or unreadable."""
        try:
            with time_limit(self.discovery_timeout):
                return parse(response.body, response.url)
        except BudgetExceeded:
            self._over_budget(kind, response, self.discovery_timeout)
        except DiscoveryError as error:
            self._stat(f"newscrawl/discovery/{kind}_errors")
            self.logger.warning("unreadable %s %s: %s", kind, response.url, error)
        return None

    def _follow_links(self, links: Iterable[str], depth: int) -> Iterator[Request]:
        for url in links:
            kind = classify_url(url, self.spec)
            if kind == "article":
                yield self._article_request(url, None)
            elif kind == "listing" and depth < self.listing_depth:
                yield Request(strip_tracking(url), callback=self.parse_listing, meta={DEPTH_META: depth + 1})

    def _article_request(self, url: str, entry: EntryHints | None) -> Request:
        # Tracking parameters make one article look like many; the request goes to the clean URL.
        request = Request(strip_tracking(url), callback=self.parse_article, errback=self._count_failure)
        request.meta[ENTRY_META] = _compact(entry, request.url) if entry is not None else None
        return request

    def _is_html(self, response: Response) -> bool:
        if isinstance(response, TextResponse) and sniff(
            response.body[:2048], _content_type(response), response.url
        ) in ("html", "unknown"):
            return True
        self._stat("newscrawl/skipped/not_html")
        self.logger.info("skipped %s: not an HTML page", response.url)
        return False

    def _over_budget(self, step: str, response: Response, budget: float) -> None:
        self._stat(f"newscrawl/dropped/{step}_timeout")
        self.logger.warning("skipped %s: %s over its %g s budget", response.url, step, budget)

    def _count_failure(self, failure: Any) -> None:
        # A request a middleware chose not to send (unchanged since the last run, robots.txt, an unsafe
        # target) is counted by that middleware under its own reason; it is not a failed fetch.
        if failure.check(IgnoreRequest):
            return
        self._stat(f"newscrawl/fetch_failed/{failure.type.__name__}")
        self.logger.info("fetch failed: %s", failure.getErrorMessage())

    def _stat(self, key: str, count: int = 1) -> None:
        if self.crawler and self.crawler.stats:
            self.crawler.stats.inc_value(key, count)

    def parse(self, response: Response, **kwargs: Any) -> Iterable[Any]:
        """Scrapy's default callback: only reached by requests made outside this spider."""
        return self.parse_any(response)
