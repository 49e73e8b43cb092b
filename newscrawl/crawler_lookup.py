"""Finding a running crawl's enabled extension, which Scrapy exposes no public accessor for."""

from __future__ import annotations

from typing import TypeVar

from scrapy.crawler import Crawler

E = TypeVar("E")


def enabled_extension(crawler: Crawler, cls: type[E]) -> E | None:
    """The instance of ``cls`` among the crawler's enabled extensions, or ``None`` when it is not enabled.

    Middlewares and pipelines of an add-on share state with its extension this way, rather than through a
    module-level singleton that would leak between crawls in one process.
    """
    extensions = getattr(crawler, "_extensions", None)
    for extension in extensions.middlewares if extensions else ():
        if isinstance(extension, cls):
            return extension
    return None
