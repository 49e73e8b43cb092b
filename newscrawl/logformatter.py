"""Log lines for dropped items: one short line with the reason and URL, not the whole item."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


class NewsLogFormatter(LogFormatter):
    """Scrapy logs a dropped item's full repr at WARNING; for a news crawl a drop is routine (galleries,
    duplicates), is counted under its reason in the stats, and a multi-kilobyte body in the log helps no one."""

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None
                ) -> LogFormatterResult:
        return {"level": logging.INFO, "msg": "Dropped %(reason)s", "args": {"reason": exception}}
