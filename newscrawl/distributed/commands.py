"""The `newscrawl seed`, `newscrawl stop` and `newscrawl status` subcommands (argument parsing only)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _add_target_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--redis", required=True, metavar="URL", help="Redis URL, e.g. redis://host:6379/0")
    parser.add_argument("--site", action="append", default=[], metavar="ID",
                        help="a registered site (repeatable)")
    parser.add_argument("--url", action="append", default=[], metavar="URL",
                        help="a home page, sitemap or feed URL of any site (repeatable)")
    parser.add_argument("--base-url", help="with --site: the site served from another origin (mirror, demo)")


def _seeds(args: argparse.Namespace) -> list[Any]:
    from newscrawl.distributed.seed import seeds_from

    if not args.site and not args.url:
        raise SystemExit("give at least one --site ID or --url URL")
    return seeds_from(args.site, args.url, args.base_url)


def _cmd_seed(args: argparse.Namespace) -> int:
    from newscrawl.distributed.seed import push_seeds
    from newscrawl.distributed.state import DistributedCrawlError

    try:
        pushed = push_seeds(args.redis, _seeds(args), fresh=args.fresh)
    except DistributedCrawlError as error:
        print(f"newscrawl seed: {error}", file=sys.stderr)
        return 2
    for crawl, count in pushed.items():
        print(f"{crawl}\t{count} seed requests queued; run workers with: "
              f"scrapy crawl news -a site=... (or scrapy crawlsites SITE ...) -s NEWSCRAWL_REDIS_URL={args.redis}")
    return 0


def _cmd_stop(args: argparse.Namespace) -> int:
    from newscrawl.distributed.seed import crawl_ids, request_stop
    from newscrawl.distributed.state import DistributedCrawlError

    try:
        crawls = crawl_ids(_seeds(args))
        request_stop(args.redis, crawls)
    except DistributedCrawlError as error:
        print(f"newscrawl stop: {error}", file=sys.stderr)
        return 2
    print(f"stop requested for {', '.join(crawls)}: running workers close once the queue is empty")
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    from newscrawl.distributed.seed import crawl_ids, crawl_status
    from newscrawl.distributed.state import DistributedCrawlError

    try:
        report = crawl_status(args.redis, crawl_ids(_seeds(args)))
    except DistributedCrawlError as error:
        print(f"newscrawl status: {error}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2))
    return 0


def add_distributed_commands(commands: Any) -> None:
    """Registers the subcommands on the `newscrawl` parser's subparsers object."""
    seed = commands.add_parser("seed", help="queue a distributed crawl's start points in Redis")
    _add_target_arguments(seed)
    seed.add_argument("--fresh", action="store_true",
                      help="first forget the crawl's queue, fingerprints and exported articles")
    seed.set_defaults(run=_cmd_seed)

    stop = commands.add_parser("stop", help="tell a distributed crawl's workers to close once it is drained")
    _add_target_arguments(stop)
    stop.set_defaults(run=_cmd_stop)

    status = commands.add_parser("status", help="show a distributed crawl's queue and workers as JSON")
    _add_target_arguments(status)
    status.set_defaults(run=_cmd_status)
