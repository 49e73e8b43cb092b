"""DeliveryAddon: crash-safe feed files in batches, a manifest per run, and one run per site at a time."""

from __future__ import annotations

import re
from typing import Any

from scrapy.settings import BaseSettings

from newscrawl.export.manifest import URI_PARAMS_FUNCTION, is_file_feed

STORAGE = "newscrawl.export.storage.PartFileFeedStorage"
MANIFEST_EXTENSION = "newscrawl.export.manifest.RunManifest"
DEFAULT_BATCH_ITEMS = 1000
"""Items per file: a long run delivers as it goes, and a killed one loses at most one unfinished batch."""
BATCH_PLACEHOLDER = "-%(batch_id)05d"

_BATCH_PARAMETER = re.compile(r"%\(batch_(?:id|time)\)")
_LAST_PARAMETER = re.compile(r".*%\([^)]+\)[-+ #0]*\d*[a-z]", re.DOTALL)


def with_batch_placeholder(uri: str) -> str:
    """``out/site-%(time)s.jsonl`` -> ``out/site-%(time)s-%(batch_id)05d.jsonl``: Scrapy refuses batches
    without a batch number in the name, and the number goes before the file's extension(s)."""
    if _BATCH_PARAMETER.search(uri):
        return uri
    directory, _, name = uri.rpartition("/")
    # Extensions start at the first dot after the last %(...)s, so a site id with dots is left whole.
    last = _LAST_PARAMETER.match(name)
    start = last.end() if last else 0
    dot = name.find(".", start)
    name = name + BATCH_PLACEHOLDER if dot < 0 else name[:dot] + BATCH_PLACEHOLDER + name[dot:]
    return f"{directory}/{name}" if directory else name


class DeliveryAddon:
    """Enable with ``ADDONS = {"newscrawl.export.DeliveryAddon": 200}``.

    * local feeds are written as ``.part`` and renamed when complete
      (:class:`~newscrawl.export.storage.PartFileFeedStorage`);
    * ``FEED_EXPORT_BATCH_ITEM_COUNT`` defaults to 1000, and file names get a batch number if they lack one;
    * a run's files share its start time (``%(time)s``) and its id (``%(run_id)s``);
    * :class:`~newscrawl.export.manifest.RunManifest` locks the site and writes the run's manifest.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        for scheme in ("", "file"):
            settings["FEED_STORAGES"][scheme] = STORAGE
        settings["EXTENSIONS"][MANIFEST_EXTENSION] = 100
        settings.set("FEED_EXPORT_BATCH_ITEM_COUNT", DEFAULT_BATCH_ITEMS, priority="addon")
        feeds = settings.getdict("FEEDS")
        if feeds:
            default_batch = settings.getint("FEED_EXPORT_BATCH_ITEM_COUNT")
            settings.set("FEEDS", self._adapt_feeds(feeds, default_batch),
                         priority=settings.getpriority("FEEDS") or "addon")

    @staticmethod
    def _adapt_feeds(feeds: dict[Any, Any], default_batch: int) -> dict[str, dict[str, Any]]:
        adapted: dict[str, dict[str, Any]] = {}
        for uri, options in feeds.items():
            uri, options = str(uri), dict(options or {})
            if is_file_feed(uri):
                options.setdefault("uri_params", URI_PARAMS_FUNCTION)
                if options.get("batch_item_count", default_batch):
                    uri = with_batch_placeholder(uri)
            adapted[uri] = options
        return adapted
