"""The Scrapy add-on that turns a newscrawl process into one worker of a Redis-backed cluster."""

from __future__ import annotations

import re
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings, Settings

from newscrawl.distributed.state import default_worker_id
from newscrawl.state.location import state_directory

SCHEDULER = "newscrawl.distributed.scheduler.ReliableScheduler"
PIPELINE = "newscrawl.distributed.pipelines.ClusterDeduplicatePipeline"
STORAGE = "newscrawl.distributed.storage.UnbufferedFileFeedStorage"
#: After every other pipeline, so only records about to be exported are claimed.
PIPELINE_ORDER = 950

# A feed URI is a local file when it has no scheme or the file scheme (a Windows drive letter is no scheme).
_REMOTE_URI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]+://")
_FILE_URI = re.compile(r"^file://")
_SUFFIX = re.compile(r"(\.[A-Za-z0-9]+)?$")
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def with_worker_id(uri: str, worker: str) -> str:
    """``out/site-%(time)s.jsonl`` -> ``out/site-%(time)s-<worker>.jsonl``: no two workers share a file."""
    safe = _UNSAFE_IN_FILE_NAME.sub("_", worker)
    head, suffix = uri, ""
    match = _SUFFIX.search(uri.rsplit("/", 1)[-1])
    if match and match.group(1):
        suffix = match.group(1)
        head = uri[: -len(suffix)]
    return f"{head}-{safe}{suffix}"


def is_local_file(uri: str) -> bool:
    return bool(_FILE_URI.match(uri)) or not _REMOTE_URI.match(uri)


class RedisAddon:
    """Distributed crawling with scrapy-redis, switched on by one setting: ``NEWSCRAWL_REDIS_URL``.

    Without that setting it changes nothing. With it, the process is one worker of the crawl of its site: the
    scheduler and duplicate filter live in Redis (``ReliableScheduler``), the spider takes its seeds from
    Redis (``newscrawl seed``) instead of its arguments, each local feed file gets the worker's id in its name
    and is written unbuffered, and a last pipeline keeps one record per article across all workers.
    """

    def update_settings(self, settings: Settings) -> None:
        if not settings.get("NEWSCRAWL_REDIS_URL"):
            return
        if not settings.get("NEWSCRAWL_WORKER_ID"):
            settings.set("NEWSCRAWL_WORKER_ID", default_worker_id(), priority="addon")
        worker: str = settings["NEWSCRAWL_WORKER_ID"]
        settings.set("SCHEDULER", SCHEDULER, priority="addon")
        settings["ITEM_PIPELINES"][PIPELINE] = PIPELINE_ORDER
        feed_storages = settings["FEED_STORAGES"]
        for scheme in ("", "file"):
            if scheme not in feed_storages:
                feed_storages[scheme] = STORAGE
        self._name_feeds_per_worker(settings, worker)
        self._state_per_worker(settings, worker)

    @staticmethod
    def _state_per_worker(settings: BaseSettings, worker: str) -> None:
        """Each worker its own run lock, run journal and local state under the state directory.

        The crash-safe export allows one run per site and directory at a time; the workers of a cluster on one
        machine are many runs of the same site. What the cluster as a whole has delivered is kept in Redis.
        """
        base = state_directory(settings)
        if base.name != worker:
            settings.set("NEWSCRAWL_STATE_DIR", str(base / worker), priority=max(
                settings.getpriority("NEWSCRAWL_STATE_DIR") or 0, SETTINGS_PRIORITIES["addon"]))

    @staticmethod
    def _name_feeds_per_worker(settings: BaseSettings, worker: str) -> None:
        feeds: dict[str, Any] = settings.getdict("FEEDS")
        if not feeds or all(f"-{worker}" in uri for uri in feeds):
            return
        renamed = {with_worker_id(uri, worker) if is_local_file(uri) else uri: options
                   for uri, options in feeds.items()}
        # At the priority of whoever set FEEDS (the spider, from NEWSCRAWL_OUTPUT_DIR, or the user's
        # -s FEEDS): their feeds, renamed, replace them; a lower priority would be ignored.
        settings.set("FEEDS", renamed, priority=settings.getpriority("FEEDS") or "addon")
