"""Where a site's shared run files live: the state database, the run lock and the run journal."""

from __future__ import annotations

import re
from pathlib import Path

from scrapy import Spider
from scrapy.settings import BaseSettings

DEFAULT_STATE_SUBDIR = ".state"
_UNSAFE_FILE_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")


def state_directory(settings: BaseSettings) -> Path:
    """``NEWSCRAWL_STATE_DIR``, else ``<NEWSCRAWL_OUTPUT_DIR>/.state``.

    By default the state sits beside the output it describes: "already delivered" only holds for that output,
    so a crawl into a fresh output directory starts from scratch instead of skipping everything.
    """
    configured = settings.get("NEWSCRAWL_STATE_DIR")
    if configured:
        return Path(configured)
    return Path(settings.get("NEWSCRAWL_OUTPUT_DIR") or "output") / DEFAULT_STATE_SUBDIR


def site_key(spider: Spider) -> str:
    """The spider's site id (``news`` spiders) or its name, safe as a file name."""
    key = getattr(spider, "site_id", None) or spider.name
    return _UNSAFE_FILE_CHARACTERS.sub("_", str(key)).strip("._") or "site"
