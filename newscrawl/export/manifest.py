"""The run's identity, lock and manifest: each run says what it delivered, and a cut run is told apart."""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.extensions.feedexport import FeedExporter, apply_uri_params

from newscrawl.crawler_lookup import enabled_extension
from newscrawl.export import signals as delivery_signals
from newscrawl.export.files import FileDigest, digest_file, feed_uri_path, part_path, write_json_atomically
from newscrawl.export.lock import RunLock, RunLockedError
from newscrawl.state.location import site_key, state_directory

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 1
MANIFEST_SUFFIX = ".manifest.json"
FINISH_REASON_CUT = "cut"
"""The finish reason written for a run that ended without closing (SIGKILL, OOM killer, power loss)."""

URI_PARAMS_FUNCTION = "newscrawl.export.manifest.run_uri_params"
FILE_SCHEMES = frozenset({"", "file"})

# Scrapy's own counters a consumer needs, under names that say what they count.
_SCRAPY_COUNTS = {
    "items_exported": "item_scraped_count",
    "items_dropped": "item_dropped_count",
    "requests": "downloader/request_count",
    "responses": "response_received_count",
    "feed_files_failed": "feedexport/failed_count/PartFileFeedStorage",
}
_OWN_COUNTS_PREFIX = "newscrawl/"


def _time_param(moment: datetime) -> str:
    """A moment as Scrapy's ``%(time)s`` feed URI parameter prints it."""
    return moment.replace(microsecond=0).isoformat().replace(":", "-")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def is_file_feed(uri: str) -> bool:
    return urlparse(uri).scheme in FILE_SCHEMES


@dataclass(frozen=True)
class RunIdentity:
    """Names one run: its files and its manifest share ``run_id``."""

    site: str
    started_at: datetime
    worker: str | None = None
    """NEWSCRAWL_WORKER_ID of a distributed worker: workers of one site that start in the same second and
    share an output directory must not write one manifest over another's."""

    @property
    def time_param(self) -> str:
        return _time_param(self.started_at)

    @property
    def run_id(self) -> str:
        run_id = f"{self.site}-{self.time_param}"
        return f"{run_id}-{self.worker}" if self.worker else run_id


def run_uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """FEEDS ``uri_params``: every batch file of a run carries the run's start time and id.

    Scrapy fills ``%(time)s`` anew for each batch; pinned to the run, a run's files sort together and
    match its manifest.
    """
    manifest = RunManifest.of(spider.crawler) if spider.crawler else None
    if manifest is not None:
        manifest.begin(spider)
        params["time"] = manifest.run.time_param
        params["run_id"] = manifest.run.run_id
    return params


def describe_file(path: Path, relative_to: Path, digest: FileDigest | None = None) -> dict[str, Any]:
    """A manifest's entry for one delivered file."""
    digest = digest or digest_file(path)
    try:
        name = str(path.resolve().relative_to(relative_to.resolve()))
    except ValueError:
        name = str(path.resolve())
    return {"path": name, "lines": digest.lines, "bytes": digest.size, "sha256": digest.sha256}


class RunManifest:
    """Extension: holds the site's run lock, names the run, and writes ``<run_id>.manifest.json``.

    The manifest appears (atomically) when the run closes, for every finish reason; ``complete`` is true only
    for ``finished``. A run killed outright cannot write one, so a journal in the state directory records
    the run's files as they are delivered, and the next run of the site writes the cut run's manifest
    (``finish_reason: "cut"``) and removes its undelivered ``.part`` files.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state_directory = state_directory(crawler.settings)
        self.lock = RunLock(Path())
        self.journal_path = Path()
        self.site = ""
        self.run = RunIdentity("", datetime.now(UTC))
        self.manifest_path = Path()
        self.resumes: str | None = None
        """The id of the cut run this run follows, if the previous run of the site was cut."""
        self.files: list[dict[str, Any]] = []
        self._spider: Spider | None = None
        self._spider_params: dict[str, Any] = {}
        self._journal: dict[str, Any] = {}
        self._finish_reason: str | None = None
        self._feeds_pending = False
        self._written = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunManifest:
        extension = cls(crawler)
        # The run begins here rather than in spider_opened: the lock must be held before the scheduler opens
        # JOBDIR and the state store opens its database, and a refused run must not have touched either.
        # (A crawler built before its spider, as in tests, begins when the spider opens.)
        if crawler.spider is not None:
            try:
                extension.begin(crawler.spider)
            except RunLockedError as error:
                # Said plainly before Scrapy's traceback: this is what cron mail and scrapyd logs will show.
                logger.error("%s. This run stops without crawling.", error)
                raise
        crawler.signals.connect(extension.spider_opened, signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signals.spider_closed)
        crawler.signals.connect(extension.feed_exporter_closed, signals.feed_exporter_closed)
        crawler.signals.connect(extension.engine_stopped, signals.engine_stopped)
        crawler.signals.connect(extension.batch_opened, delivery_signals.batch_opened)
        crawler.signals.connect(extension.batch_ready, delivery_signals.batch_ready)
        crawler.signals.connect(extension.batch_delivered, delivery_signals.batch_delivered)
        return extension

    @classmethod
    def of(cls, crawler: Crawler) -> RunManifest | None:
        """The crawler's RunManifest, if the extension is enabled."""
        return enabled_extension(crawler, cls)

    # ------------------------------------------------------------------------------------------- run start
    def begin(self, spider: Spider) -> None:
        """Take the lock (or raise RunLockedError), close the books of a cut predecessor, name this run."""
        if self._spider is not None:
            return
        self.site = site_key(spider)
        self.lock = RunLock(self.state_directory / f"{self.site}.lock")
        self.journal_path = self.state_directory / f"{self.site}.run.json"
        self.run = RunIdentity(self.site, self.run.started_at,
                               self.crawler.settings.get("NEWSCRAWL_WORKER_ID") or None)
        holder = (f"pid {os.getpid()} on {socket.gethostname()}, spider {spider.name}, "
                  f"since {_iso(self.run.started_at)}")
        self.lock.acquire(holder)
        self._spider = spider
        if self.journal_path.exists():
            self.resumes = self._close_cut_run()
        self.run, self.manifest_path = self._unique_run()
        self._journal = {
            "run_id": self.run.run_id,
            "spider": spider.name,
            "site": self.site,
            "started_at": _iso(self.run.started_at),
            "manifest": str(self.manifest_path),
            "parts": [],
            "ready": [],
        }
        self._save_journal()

    def _feed_paths(self, run: RunIdentity) -> list[Path]:
        """The first batch file of each local feed, as FeedExporter will name it for ``run``."""
        params = dict(self._spider_params)
        params.update(time=run.time_param, run_id=run.run_id, batch_id=1,
                      batch_time=run.started_at.isoformat().replace(":", "-"))
        paths = []
        for uri, options in self.crawler.settings.getdict("FEEDS").items():
            uri = str(uri)
            if is_file_feed(uri) and (options or {}).get("uri_params") in (None, URI_PARAMS_FUNCTION):
                paths.append(feed_uri_path(apply_uri_params(uri, params)))
        return paths

    def _unique_run(self) -> tuple[RunIdentity, Path]:
        """This run's identity and manifest path; a second later than planned if a run of the same second
        left files, so a quick rerun can never deliver onto an earlier run's names."""
        # FeedExporter offers every spider attribute to the URI template; read them once.
        self._spider_params = {name: getattr(self._spider, name, None) for name in dir(self._spider)}
        run = self.run
        while True:
            feed_paths = self._feed_paths(run)
            directory = feed_paths[0].parent if feed_paths else (
                Path(self.crawler.settings.get("NEWSCRAWL_OUTPUT_DIR") or "output") / self.site)
            manifest = directory / f"{run.run_id}{MANIFEST_SUFFIX}"
            taken = [manifest, *feed_paths, *(part_path(path) for path in feed_paths)]
            if not any(path.exists() for path in taken):
                return run, manifest
            run = RunIdentity(run.site, run.started_at + timedelta(seconds=1), run.worker)

    def _close_cut_run(self) -> str | None:
        """Write the manifest of the run that left its journal behind; remove what it never delivered."""
        try:
            journal = json.loads(self.journal_path.read_text(encoding="utf-8"))
            manifest_path = Path(journal["manifest"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.error("unreadable run journal %s (%s); its run is not recorded", self.journal_path, error)
            self.journal_path.unlink(missing_ok=True)
            return None
        removed = 0
        for name in journal.get("parts", []):
            part = Path(name)
            if part.exists():
                part.unlink()
                removed += 1
        files = [describe_file(Path(name), manifest_path.parent)
                 for name in dict.fromkeys(journal.get("ready", [])) if Path(name).exists()]
        if not manifest_path.exists():
            write_json_atomically(manifest_path, {
                "manifest_version": MANIFEST_VERSION,
                "run_id": journal.get("run_id"),
                "spider": journal.get("spider"),
                "site": journal.get("site"),
                "started_at": journal.get("started_at"),
                "finished_at": None,
                "finish_reason": FINISH_REASON_CUT,
                "complete": False,
                "resumes": None,
                "counts": {"lines_delivered": sum(entry["lines"] for entry in files),
                           "part_files_removed": removed},
                "files": files,
            })
        logger.warning("the previous run %s was cut short: %d file(s) delivered, %d unfinished .part "
                       "file(s) removed; its manifest is %s",
                       journal.get("run_id"), len(files), removed, manifest_path)
        self.journal_path.unlink(missing_ok=True)
        run_id = journal.get("run_id")
        return str(run_id) if run_id else None

    def _save_journal(self) -> None:
        write_json_atomically(self.journal_path, self._journal)

    # ------------------------------------------------------------------------------------------- signals
    def spider_opened(self, spider: Spider) -> None:
        try:
            self.begin(spider)
        except RunLockedError as error:
            logger.error("%s", error)
            raise CloseSpider("already_running") from error
        self._feeds_pending = any(isinstance(extension, FeedExporter)
                                  for extension in self.crawler.extensions.middlewares)
        logger.info("run %s: manifest will be %s", self.run.run_id, self.manifest_path)

    def batch_opened(self, part_path: Path) -> None:
        self._journal["parts"].append(str(part_path))
        self._save_journal()

    def batch_ready(self, part_path: Path, final_path: Path, feed_format: str | None) -> None:
        self._journal["ready"].append(str(final_path))
        self._save_journal()

    def batch_delivered(self, path: Path, digest: FileDigest, feed_format: str | None) -> None:
        self.files.append(describe_file(path, self.manifest_path.parent, digest))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self._finish_reason = reason
        self._write_when_done()

    def feed_exporter_closed(self) -> None:
        self._feeds_pending = False
        self._write_when_done()

    def engine_stopped(self) -> None:
        self.lock.release()

    def _write_when_done(self) -> None:
        # The manifest lists the files, so it waits for the feed exporter to store its last batches.
        if self._written or self._finish_reason is None or self._feeds_pending or not self.lock.held:
            return
        self._written = True
        stats = self.crawler.stats.get_stats()
        counts = {name: stats.get(key, 0) for name, key in _SCRAPY_COUNTS.items()}
        counts.update({key.removeprefix(_OWN_COUNTS_PREFIX): value for key, value in sorted(stats.items())
                       if key.startswith(_OWN_COUNTS_PREFIX) and isinstance(value, int)})
        write_json_atomically(self.manifest_path, {
            "manifest_version": MANIFEST_VERSION,
            "run_id": self.run.run_id,
            "spider": self._spider.name if self._spider else None,
            "site": self.site,
            "started_at": _iso(self.run.started_at),
            "finished_at": _iso(datetime.now(UTC)),
            "finish_reason": self._finish_reason,
            "complete": self._finish_reason == "finished" and not counts["feed_files_failed"],
            "resumes": self.resumes,
            "counts": counts,
            "files": self.files,
        })
        self.journal_path.unlink(missing_ok=True)
        logger.info("run %s: %s, %d file(s), manifest %s", self.run.run_id, self._finish_reason,
                    len(self.files), self.manifest_path)
