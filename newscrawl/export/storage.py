"""The feed storage for local files: written as ``<name>.part``, renamed to ``<name>`` once complete."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

from scrapy import Spider
from scrapy.crawler import Crawler

from newscrawl.export import signals
from newscrawl.export.files import digest_file, feed_uri_path, free_name, part_path, promote


class PartFileFeedStorage:
    """Scrapy's ``FileFeedStorage`` with crash-safe delivery.

    Scrapy writes straight into the final file, so a killed run leaves a truncated file that looks complete.
    Here the exporter writes ``<final>.part``; on ``store()`` the data is synced to disk and the file
    renamed, an atomic step, to a name no earlier file has: a delivered file is never overwritten.
    """

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None,
                 crawler: Crawler | None = None) -> None:
        self.final_path = feed_uri_path(uri)
        self.feed_format: str | None = (feed_options or {}).get("format")
        self.crawler = crawler
        self._part_path: Path | None = None
        self.delivered_path: Path | None = None
        """Where the file ended up once stored (``final_path`` unless that name was taken)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *,
                     feed_options: dict[str, Any] | None = None) -> PartFileFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Spider) -> IO[bytes]:
        self.final_path.parent.mkdir(parents=True, exist_ok=True)
        self._part_path = part_path(self.final_path)
        # "wb": a .part left by a killed run under the same name holds nothing delivered.
        handle = self._part_path.open("wb")
        self._send(signals.batch_opened, part_path=self._part_path)
        return handle

    def store(self, file: IO[bytes]) -> None:
        assert self._part_path is not None, "store() before open()"
        file.flush()
        os.fsync(file.fileno())
        file.close()
        final = free_name(self.final_path)
        self._send(signals.batch_ready, part_path=self._part_path, final_path=final,
                   feed_format=self.feed_format)
        digest = digest_file(self._part_path)
        promote(self._part_path, final)
        self.delivered_path = final
        self._send(signals.batch_delivered, path=final, digest=digest, feed_format=self.feed_format)

    def _send(self, signal: object, **kwargs: Any) -> None:
        if self.crawler is not None:
            self.crawler.signals.send_catch_log(signal, **kwargs)
