"""CrawlState: owns a site's state store for one run and keeps it in step with what the run delivers."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DropItem, NotConfigured
from scrapy.http import Response
from scrapy.utils.misc import load_object

from newscrawl.crawler_lookup import enabled_extension
from newscrawl.export import signals as delivery_signals
from newscrawl.export.addon import STORAGE as PART_FILE_STORAGE
from newscrawl.export.files import FileDigest
from newscrawl.export.manifest import is_file_feed
from newscrawl.hints import ENTRY_META
from newscrawl.items import Article
from newscrawl.state.location import site_key, state_directory
from newscrawl.state.policy import Decision, PageState, RevisitPolicy, decide
from newscrawl.state.store import (
    ArticleVersion,
    FetchRecord,
    StateStore,
    StateStoreError,
    versions_in_jsonlines,
)

logger = logging.getLogger(__name__)

REVALIDATE_META = "newscrawl_revalidate"
"""Request.meta key set on conditional GETs: why the known article is fetched again."""

JSON_LINES_FORMATS = frozenset({"jsonlines", "jsonl", "jl"})
STAT_PREFIX = "newscrawl/state/"


class Unchanged(DropItem):
    """A re-fetched article whose content hash equals the delivered version's: nothing to export."""

    def __init__(self, canonical_url: str) -> None:
        # DEBUG: on a recurring crawl most re-checked articles are unchanged; that is news to nobody.
        super().__init__(f"unchanged since its last export: {canonical_url}", log_level="DEBUG")
        self.canonical_url = canonical_url


def is_article_request(request: Request) -> bool:
    return ENTRY_META in request.meta


def page_key(url: str) -> str:
    """The store's key for an article URL: fragments never reach the server."""
    return urldefrag(url)[0]


def entry_modified(request: Request) -> str | None:
    entry = request.meta.get(ENTRY_META)
    modified = getattr(entry, "modified", None)
    return str(modified) if modified else None


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class CrawlState:
    """Extension that opens the store when the spider opens, recovers half-done deliveries, expires old
    entries, records every article fetch, and commits delivered articles once their file is in place."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.policy = RevisitPolicy(
            window=settings.getfloat("NEWSCRAWL_REVISIT_WINDOW_HOURS", 24.0) * 3600.0,
            interval=settings.getfloat("NEWSCRAWL_REVISIT_INTERVAL_MINUTES", 60.0) * 60.0,
        )
        self.max_age = settings.getfloat("NEWSCRAWL_STATE_EXPIRE_DAYS", 30.0) * 86400.0
        self.directory = state_directory(settings)
        self.store = StateStore(Path())
        self.delivers_in_files = self._feeds_deliver_json_lines_files()
        # Exported articles wait here (by canonical URL) until the file holding them is renamed into place.
        self._awaiting_delivery: dict[str, FetchRecord] = {}
        # Canonical URLs whose file was delivered before their item_scraped handler ran.
        self._delivered_early: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlState:
        if not crawler.settings.getbool("NEWSCRAWL_STATE_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_STATE_ENABLED is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signals.item_scraped)
        crawler.signals.connect(extension.item_dropped, signals.item_dropped)
        crawler.signals.connect(extension.engine_stopped, signals.engine_stopped)
        crawler.signals.connect(extension.batch_ready, delivery_signals.batch_ready)
        crawler.signals.connect(extension.batch_delivered, delivery_signals.batch_delivered)
        return extension

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlState:
        """The crawler's CrawlState, for the middlewares and the pipeline; NotConfigured without it."""
        extension = enabled_extension(crawler, cls)
        if extension is None:
            raise NotConfigured("the CrawlState extension is not enabled (StateAddon)")
        return extension

    def _feeds_deliver_json_lines_files(self) -> bool:
        """Whether articles reach a JSON Lines file through PartFileFeedStorage, which tells us when each file
        is delivered. Otherwise an article counts as delivered as soon as it is scraped."""
        settings = self.crawler.settings
        storages = settings.getwithbase("FEED_STORAGES")
        ours = load_object(PART_FILE_STORAGE)
        if not all(load_object(storages[scheme]) is ours for scheme in ("", "file") if storages.get(scheme)):
            return False
        return any(is_file_feed(str(uri)) and (options or {}).get("format") in JSON_LINES_FORMATS
                   for uri, options in settings.getdict("FEEDS").items())

    def _stat(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(STAT_PREFIX + key, count)

    # ------------------------------------------------------------------------------------------- lifecycle
    def spider_opened(self, spider: Spider) -> None:
        self.store = StateStore(self.directory / f"{site_key(spider)}.sqlite")
        now = time.time()
        try:
            self.store.open()
            recovered, abandoned = self.store.recover(now)
            expired = self.store.expire(now - self.max_age) if self.max_age > 0 else 0
        except StateStoreError as error:
            logger.error("%s", error)
            raise CloseSpider("state_unavailable") from error
        if recovered or abandoned:
            logger.warning("state: finished %d delivery(ies) and dropped %d undelivered one(s) that a killed "
                           "run left half done", recovered, abandoned)
        self._stat("recovered_files", recovered)
        self._stat("expired", expired)
        counts = self.store.counts()
        logger.info("state %s: %d known article URLs, %d articles; revisits %s", self.store.path,
                    counts["pages"], counts["articles"],
                    f"every {self.policy.interval / 60:g} min for {self.policy.window / 3600:g} h"
                    if self.policy.window > 0 else "off")

    def engine_stopped(self) -> None:
        if self._awaiting_delivery:
            # Their file was never delivered (storage failed); they are fetched again next run.
            self._stat("undelivered", len(self._awaiting_delivery))
            logger.warning("state: %d exported article(s) never reached a delivered file; they will be "
                           "fetched again", len(self._awaiting_delivery))
        self.store.close()

    # ------------------------------------------------------------------------------------------- decisions
    def decide(self, request: Request, now: float) -> Decision:
        """Fetch, revalidate or skip an article request; a skipped URL is marked as still listed."""
        url = page_key(request.url)
        modified = entry_modified(request)
        decision = decide(self.store.page(url), modified, now, self.policy)
        if decision is Decision.SKIP:
            self.store.mark_seen(url, now, modified)
        return decision

    def note_entry_date(self, request: Request, now: float) -> None:
        """A URL already requested this run is listed again, maybe with a date its first listing lacked."""
        modified = entry_modified(request)
        if modified:
            self.store.mark_seen(page_key(request.url), now, modified)

    def known_page(self, url: str) -> PageState | None:
        return self.store.page(page_key(url))

    def delivered_version(self, canonical_url: str) -> ArticleVersion | None:
        return self.store.article(canonical_url)

    # ------------------------------------------------------------------------------------------- records
    def _fetch_record(self, response: Response, outcome: str, canonical_url: str | None,
                      now: float) -> FetchRecord:
        request = response.request
        assert request is not None
        # Redirects: remember the URL the spider asked for, which is what discovery will list again.
        first_url = (request.meta.get("redirect_urls") or [request.url])[0]
        return FetchRecord(
            url=page_key(first_url),
            fetched_at=now,
            outcome=outcome,
            canonical_url=canonical_url,
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            entry_modified=entry_modified(request),
        )

    def record_not_modified(self, request: Request, response: Response) -> None:
        """A conditional GET answered 304: the article is as delivered; note the check."""
        self.store.record_fetch(FetchRecord(
            url=page_key(request.url), fetched_at=time.time(), outcome="not_modified",
            etag=_header(response, "ETag"), last_modified=_header(response, "Last-Modified"),
            entry_modified=entry_modified(request),
        ))
        self._stat("not_modified")

    def item_scraped(self, item: Any, response: Response | None, spider: Spider) -> None:
        if not isinstance(item, Article) or not isinstance(response, Response) or response.request is None:
            return
        now = time.time()
        outcome = "new" if item.version == 1 else "updated"
        fetch = self._fetch_record(response, outcome, item.canonical_url, now)
        if not self.delivers_in_files:
            self.store.commit_fetched_article(
                ArticleVersion(item.canonical_url, item.content_hash, item.version), fetch, now)
        elif item.canonical_url in self._delivered_early:
            self._delivered_early.discard(item.canonical_url)
            self.store.record_fetch(fetch)
        else:
            self._awaiting_delivery[item.canonical_url] = fetch

    def item_dropped(self, item: Any, response: Response | None, exception: BaseException,
                     spider: Spider) -> None:
        """An article page that exports nothing (unchanged, too short, duplicate...) is still known: the next
        run skips it like any other unless its entry changes or a revisit is due."""
        if not isinstance(response, Response) or response.request is None:
            return
        if not is_article_request(response.request):
            return
        canonical = exception.canonical_url if isinstance(exception, Unchanged) else None
        outcome = "unchanged" if isinstance(exception, Unchanged) else "dropped"
        self.store.record_fetch(self._fetch_record(response, outcome, canonical, time.time()))

    # ------------------------------------------------------------------------------------------- delivery
    def batch_ready(self, part_path: Path, final_path: Path, feed_format: str | None) -> None:
        if self.delivers_in_files and feed_format in JSON_LINES_FORMATS:
            self.store.stage_delivery(final_path, time.time())

    def batch_delivered(self, path: Path, digest: FileDigest, feed_format: str | None) -> None:
        if not self.delivers_in_files or feed_format not in JSON_LINES_FORMATS:
            return
        delivered = versions_in_jsonlines(path)
        if delivered.unreadable_lines:
            self._stat("unreadable_delivered_lines", delivered.unreadable_lines)
        fetches = []
        for version in delivered.versions:
            fetch = self._awaiting_delivery.pop(version.canonical_url, None)
            if fetch is None:
                self._delivered_early.add(version.canonical_url)
            else:
                fetches.append(fetch)
        self.store.commit_delivery(path, delivered.versions, fetches, time.time())
        self._stat("committed_articles", len(delivered.versions))
