"""Scrapy settings for newscrawl: only what differs from Scrapy's defaults, each with its reason."""

from __future__ import annotations

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
# `scrapy crawlsites`: many sites in one process, each its own `news` crawl.
COMMANDS_MODULE = "newscrawl.commands"

# --- newscrawl's own settings (documented in README, "Settings") --------------------------------------------
# Where JSON Lines go: one file per site and run, <dir>/<site>/<site>-<run start>.jsonl.
NEWSCRAWL_OUTPUT_DIR = "output"
# Articles with fewer body words are not articles (galleries, video pages, teasers) and are dropped.
NEWSCRAWL_MIN_WORDS = 40
# How many levels of section pages are followed below a home or section page. Listing pages multiply fast
# (tags, authors, archives); one level reaches the sections a home page links, which is where news appears.
NEWSCRAWL_LISTING_DEPTH = 1
# Follow links found on article pages too (related articles). Off: sitemaps and feeds already list what is new,
# and following article links drags a crawl into the archive.
NEWSCRAWL_FOLLOW_ARTICLE_LINKS = False
# Seconds one page's extraction may take; a page over it is counted (newscrawl/dropped/extraction_timeout)
# and skipped, so no single page can stall the crawl.
NEWSCRAWL_EXTRACTION_TIMEOUT = 10.0
# The same for reading one sitemap, feed or listing page (a 50 000-URL sitemap takes about a second).
NEWSCRAWL_DISCOVERY_TIMEOUT = 30.0
# A URL people can visit to learn who runs the crawler; goes into the User-Agent.
NEWSCRAWL_CONTACT_URL = "https://github.com/newscrawl/newscrawl"

# --- politeness ---------------------------------------------------------------------------------------------
# Name the crawler honestly; the contact URL is appended in NewsSpider.update_settings.
USER_AGENT = "newscrawl/0.1"
ROBOTSTXT_OBEY = True
# News sites are shared infrastructure: a few parallel requests per site, and let AutoThrottle back off
# when the site slows down.
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# --- hostile-web limits (Scrapy's defaults let a gzip bomb take 1 GB and a slow page stall for minutes) -----
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
# 429 is retried too: the site asks us to come back later, not to give up.
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Names are checked against the unsafe-target policy after DNS resolution, before any connection. Scrapy
# installs its resolver from these settings before add-ons run, so it is named here, not in the add-on.
TWISTED_DNS_RESOLVER = "newscrawl.reliability.resolver.SafeResolver"

# --- features as Scrapy add-ons: each one sets its own middlewares, extensions and pipelines ----------------
ADDONS: dict[str, int] = {
    # Unsafe targets refused, Retry-After / back-off / Crawl-delay honoured, every dropped page counted.
    "newscrawl.reliability.ReliabilityAddon": 100,
    # Incremental runs (skip delivered articles, re-check changed ones, versions) and crash-safe delivery
    # (.part files renamed when complete, a manifest per run, one run per site at a time).
    "newscrawl.state.StateAddon": 100,
    "newscrawl.export.DeliveryAddon": 200,
    # Distributed crawling on Redis; inert unless NEWSCRAWL_REDIS_URL is set.
    "newscrawl.distributed.RedisAddon": 900,
}

# --- pipeline -----------------------------------------------------------------------------------------------
ITEM_PIPELINES = {
    "newscrawl.pipelines.NormalizePipeline": 100,
    "newscrawl.pipelines.ValidatePipeline": 200,
    "newscrawl.pipelines.DeduplicatePipeline": 300,
}

# --- export -------------------------------------------------------------------------------------------------
# FEEDS is derived from NEWSCRAWL_OUTPUT_DIR in NewsSpider.update_settings unless set explicitly.
# Other systems read these files: real UTF-8, not \u escapes.
FEED_EXPORT_ENCODING = "utf-8"

# Logs at INFO are what people read on a server; DEBUG lists every request.
LOG_LEVEL = "INFO"
# A dropped page is one short line (reason and URL), not the item's repr.
LOG_FORMATTER = "newscrawl.logformatter.NewsLogFormatter"
