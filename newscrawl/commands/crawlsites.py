"""`scrapy crawlsites`: crawl many news sites in one process, each as its own `news` crawl."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.commands import ScrapyCommand
from scrapy.crawler import AsyncCrawlerRunner
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.conf import arglist_to_dict

from newscrawl.sites.registry import get_site, load_sites, spec_for_url
from newscrawl.spiders.news import NewsSpider

if TYPE_CHECKING:
    import argparse

logger = logging.getLogger(__name__)

# Names reserved for testing and documentation (RFC 2606, RFC 6761): a site registered under one (the demo
# site) exists only when served from another origin with -a base_url, so --all leaves it out.
_RESERVED_SUFFIXES = (".test", ".example", ".invalid", ".localhost")
_NOT_STARTED = "not started"
_FAILED = "failed"
# Above the command line's: the runner merges its own settings (-s included) again into each crawler it runs.
_PER_SITE_PRIORITY = SETTINGS_PRIORITIES["cmdline"] + 1


@dataclass(frozen=True)
class Target:
    """One site of the run: a registered site id, or a start URL of a site without a spec."""

    site_id: str
    spider_kwargs: dict[str, str]


@dataclass
class SiteOutcome:
    """How one site's crawl ended, for the run's closing summary."""

    site_id: str
    finish_reason: str = _NOT_STARTED
    articles: int = 0
    requests: int = 0


def targets_from(site_ids: list[str], urls: list[str], *, every_site: bool) -> list[Target]:
    """The run's sites in the order given, each once; UsageError for an unknown id or a bad URL, before
    anything is fetched."""
    if every_site:
        site_ids = [*site_ids, *(site.id for site in load_sites().values() if _crawlable(site.domains))]
    targets: dict[str, Target] = {}
    for site_id in site_ids:
        try:
            spec = get_site(site_id)
        except KeyError as error:
            raise UsageError(str(error.args[0]), print_help=False) from None
        targets.setdefault(spec.id, Target(spec.id, {"site": spec.id}))
    for url in urls:
        try:
            spec = spec_for_url(url)
        except ValueError as error:
            raise UsageError(str(error), print_help=False) from None
        # Two start URLs of one site would be two runs of it: they would contend for its lock and output.
        if spec.id in targets:
            raise UsageError(f"{url} is on site {spec.id!r}, which this run already crawls", print_help=False)
        targets[spec.id] = Target(spec.id, {"url": url})
    return list(targets.values())


def _crawlable(domains: tuple[str, ...]) -> bool:
    return not all(domain.endswith(_RESERVED_SUFFIXES) for domain in domains)


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] [SITE_ID ...] [--url URL ...] [--all]"

    def short_desc(self) -> str:
        return "Crawl several news sites in one process, each as its own `news` crawl"

    def long_desc(self) -> str:
        return (
            "Crawl registered sites (by id, or --all of them) and sites without a spec (--url) in one process. "
            "Each site is an ordinary `scrapy crawl news` run with its own output files, run lock, manifest "
            "and crawl state; at most --parallel of them run at once. One site that cannot run (its lock is "
            "held, its start fails) does not stop the others; the exit status is 1 when any site failed."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", action="append", default=[], metavar="URL",
                            help="a home page, section, sitemap or feed URL of a site without a spec (repeatable)")
        parser.add_argument("--all", action="store_true", dest="every_site",
                            help="every registered site (the reserved-name demo site aside)")
        parser.add_argument("--parallel", type=int, default=4, metavar="N",
                            help="sites crawled at the same time (default 4); the rest wait their turn")
        parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                            help="spider argument for every site (may be repeated)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        try:
            opts.spargs = arglist_to_dict(opts.spargs)
        except ValueError:
            raise UsageError("Invalid -a value, use -a NAME=VALUE", print_help=False) from None
        if {"site", "url"} & set(opts.spargs):
            raise UsageError("name sites as arguments or with --url, not with -a site=/url=", print_help=False)
        if opts.parallel < 1:
            raise UsageError("--parallel must be at least 1", print_help=False)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        targets = targets_from(args, opts.url, every_site=opts.every_site)
        if not targets:
            raise UsageError("name at least one site id, --url URL, or --all")
        if "base_url" in opts.spargs and (len(targets) > 1 or "site" not in targets[0].spider_kwargs):
            # One origin cannot serve several sites: base_url moves one registered site (a mirror, the demo).
            raise UsageError("-a base_url= goes with exactly one registered site", print_help=False)
        process = self.crawler_process
        if not isinstance(process, AsyncCrawlerRunner):
            raise UsageError("crawlsites needs Scrapy's asyncio reactor (the default TWISTED_REACTOR)")
        assert self.settings is not None
        parallel = opts.parallel
        if self.settings.get("NEWSCRAWL_REDIS_URL"):
            # A distributed worker runs until the cluster is told to stop: a site waiting for a free slot
            # would wait forever, so a worker process serves all its sites at once.
            parallel = len(targets)
        runner = SiteRunner(process, targets, opts.spargs, parallel)
        runner.start()
        process.start()
        self.exitcode = runner.report()


class SiteRunner:
    """Starts each target's crawl on ``process``, at most ``parallel`` at a time, and collects outcomes."""

    def __init__(self, process: AsyncCrawlerRunner, targets: list[Target], spider_kwargs: dict[str, str],
                 parallel: int) -> None:
        self.process = process
        self.waiting = deque(targets)
        self.spider_kwargs = spider_kwargs
        self.parallel = parallel
        self.outcomes = {target.site_id: SiteOutcome(target.site_id) for target in targets}
        self.shutting_down = False

    def start(self) -> None:
        for _ in range(min(self.parallel, len(self.waiting))):
            self._start_next()

    def _start_next(self) -> None:
        if self.shutting_down or not self.waiting:
            return
        target = self.waiting.popleft()
        crawler = self.process.create_crawler(NewsSpider)
        jobdir = crawler.settings.get("JOBDIR")
        if jobdir:
            # A JOBDIR holds one crawl's queue: each site resumes from its own.
            crawler.settings.set("JOBDIR", f"{jobdir.rstrip('/')}/{target.site_id}", priority=_PER_SITE_PRIORITY)
        crawler.signals.connect(self._record_close, signal=signals.spider_closed)
        task = self.process.crawl(crawler, **{**self.spider_kwargs, **target.spider_kwargs})
        # The next site starts in the finished one's slot; the process's join() sees it before it returns.
        task.add_done_callback(partial(self._next_site, self.outcomes[target.site_id]))

    def _record_close(self, spider: NewsSpider, reason: str) -> None:
        """Signal handler (spider_closed): how the site's crawl ended, and what it did."""
        outcome = self.outcomes[spider.site_id]
        outcome.finish_reason = reason
        stats = spider.crawler.stats
        if stats is not None:
            outcome.articles = int(stats.get_value("item_scraped_count", 0) or 0)
            outcome.requests = int(stats.get_value("downloader/request_count", 0) or 0)
        if reason == "shutdown":
            # Ctrl-C or SIGTERM: finish the running sites, start no more.
            self.shutting_down = True

    def _next_site(self, outcome: SiteOutcome, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            outcome.finish_reason = f"{_FAILED}: {task.exception()}"
        self._start_next()

    def report(self) -> int:
        """Logs one line per site; 1 when any site failed or never started, else 0.

        A crawl that stopped on purpose (``closespider_timeout``, ``shutdown``) ran: its manifest says how
        it ended, as it does for ``scrapy crawl``, which exits 0 then too.
        """
        failed = 0
        for outcome in self.outcomes.values():
            ran = outcome.finish_reason != _NOT_STARTED and not outcome.finish_reason.startswith(_FAILED)
            failed += not ran
            logger.log(
                logging.INFO if ran else logging.ERROR,
                "site %s: %s, %d articles, %d requests",
                outcome.site_id, outcome.finish_reason, outcome.articles, outcome.requests,
            )
        logger.info("crawlsites: %d of %d sites ran", len(self.outcomes) - failed, len(self.outcomes))
        return 1 if failed else 0
