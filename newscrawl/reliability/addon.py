"""The reliability add-on: wires the target guard, pacing, drop accounting and size limits into a crawl."""

from __future__ import annotations

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.extensions.throttle import AutoThrottle
from scrapy.settings import BaseSettings

from newscrawl.reliability.middlewares import (
    CharsetRepairMiddleware,
    CountingHttpCompressionMiddleware,
    CountingRedirectMiddleware,
    CrawlDelayMiddleware,
    DropAccountingMiddleware,
    NestingGuardMiddleware,
    RetryPacingMiddleware,
    UnsafeTargetMiddleware,
)
from newscrawl.reliability.resolver import SafeResolver
from newscrawl.reliability.spidermw import TruncatedPageMiddleware
from newscrawl.reliability.throttle import CrawlDelayAwareAutoThrottle

#: The add-on's settings and defaults; each is documented in README.md, "Reliability".
DEFAULTS: dict[str, object] = {
    "NEWSCRAWL_ALLOW_PRIVATE_TARGETS": False,
    "NEWSCRAWL_ALLOWED_NETWORKS": [],
    "NEWSCRAWL_BACKOFF_BASE": 1.0,
    "NEWSCRAWL_BACKOFF_MAX": 30.0,
    "NEWSCRAWL_RETRY_AFTER_MAX": 60.0,
    "NEWSCRAWL_CRAWL_DELAY_MAX": 30.0,
    "NEWSCRAWL_MAX_NESTING": 5000,
}

# Positions in Scrapy's downloader chain (requests go up the numbers, responses and exceptions come down).
_DOWNLOADER_MIDDLEWARES = {
    # Before OffsiteMiddleware (50) and RobotsTxtMiddleware (100): not even robots.txt of a refused host.
    UnsafeTargetMiddleware: 40,
    # After RobotsTxtMiddleware (100): the host's robots.txt is parsed by then.
    CrawlDelayMiddleware: 110,
    # Below RetryMiddleware (550): sees only final outcomes.
    DropAccountingMiddleware: 540,
    # Above RetryMiddleware: slows the domain before the retry is scheduled.
    RetryPacingMiddleware: 560,
    # Below HttpCompressionMiddleware (590): sees the decompressed body.
    CharsetRepairMiddleware: 585,
    # Below HttpCompressionMiddleware (590) as well: it counts the tags of the decompressed body.
    NestingGuardMiddleware: 575,  # after StateDownloaderMiddleware (580), which only ends 304s
}


class ReliabilityAddon:
    """Enable with ``ADDONS = {"newscrawl.reliability.ReliabilityAddon": 100}``."""

    def update_settings(self, settings: BaseSettings) -> None:
        for name, value in DEFAULTS.items():
            settings.set(name, value, priority="addon")
        for component, order in _DOWNLOADER_MIDDLEWARES.items():
            settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", component, order)
        # The counting subclasses take the place of Scrapy's own, at the same positions.
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", HttpCompressionMiddleware, None)
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", CountingHttpCompressionMiddleware, 590
        )
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", RedirectMiddleware, None)
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", CountingRedirectMiddleware, 600)
        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", TruncatedPageMiddleware, 60)
        settings.set_in_component_priority_dict("EXTENSIONS", AutoThrottle, None)
        settings.set_in_component_priority_dict("EXTENSIONS", CrawlDelayAwareAutoThrottle, 0)
        settings.set("TWISTED_DNS_RESOLVER", SafeResolver, priority="addon")
