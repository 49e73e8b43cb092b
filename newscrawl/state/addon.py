"""StateAddon: incremental crawls across runs (skip known articles, conditional re-checks, versions)."""

from __future__ import annotations

from scrapy.settings import BaseSettings

SCRAPY_DUPEFILTER = "scrapy.dupefilters.RFPDupeFilter"
RUN_DUPEFILTER = "newscrawl.state.dupefilter.RunDupeFilter"


class StateAddon:
    """Enable with ``ADDONS = {"newscrawl.state.StateAddon": 100}``; ``-s NEWSCRAWL_STATE_ENABLED=false``
    turns it off for one run (a full re-crawl that exports everything).

    Orders: the extension before RunManifest (100) so the database closes before the run lock is released;
    the pipeline last, after Normalize/Validate/Deduplicate; the downloader middleware below Scrapy's stats
    (850) and redirects (600), so a 304 is counted and never taken for a redirect.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.getbool("NEWSCRAWL_STATE_ENABLED", True):
            return
        settings["EXTENSIONS"]["newscrawl.state.extension.CrawlState"] = 90
        settings["SPIDER_MIDDLEWARES"]["newscrawl.state.middlewares.StateSpiderMiddleware"] = 990
        settings["DOWNLOADER_MIDDLEWARES"]["newscrawl.state.middlewares.StateDownloaderMiddleware"] = 580
        settings["ITEM_PIPELINES"]["newscrawl.state.pipelines.VersionPipeline"] = 900
        # A distributed dupefilter (scrapy-redis) is left alone: it is the user's explicit choice.
        if settings.get("DUPEFILTER_CLASS") in (SCRAPY_DUPEFILTER, None):
            settings.set("DUPEFILTER_CLASS", RUN_DUPEFILTER, priority="addon")
