"""Pages per second of one and of several distributed workers crawling the same loopback site, in one run."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import redis

from benchmarks.measure import parse_stats
from benchmarks.server import StaticServer, free_port
from benchmarks.sitegen import SiteParams, ensure_site
from newscrawl.distributed.state import CrawlState
from newscrawl.sites.registry import spec_for_url

REPO = Path(__file__).resolve().parent.parent
SITE_DIR = Path("/tmp/newscrawl-distbench-site")
SCRAPY = Path(sys.executable).with_name("scrapy")
NEWSCRAWL = Path(sys.executable).with_name("newscrawl")
# The same engine settings as the single-machine crawl benchmark, so figures compare.
WORKER_SETTINGS = {
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "false",
    "TELNETCONSOLE_ENABLED": "false",
    "LOG_LEVEL": "INFO",
    "NEWSCRAWL_ALLOW_PRIVATE_TARGETS": "true",
    "NEWSCRAWL_REDIS_HEARTBEAT": "1",
    "NEWSCRAWL_REDIS_WORKER_TIMEOUT": "30",
}


@dataclass
class Result:
    workers: int
    seconds: float
    pages: int
    articles: int

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def _start_redis(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(200):
        try:
            client.ping()
            return process, url
        except redis.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


def measure(count: int, origin: str, work: Path) -> Result:
    """Crawl the site with ``count`` workers: from the seed until nothing is queued or held."""
    work.mkdir(parents=True)
    redis_process, url = _start_redis(work)
    state = CrawlState(redis.Redis.from_url(url), spec_for_url(origin + "/").id)
    workers: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        for number in range(1, count + 1):
            log = work / f"w{number}.log"
            command = [
                str(SCRAPY),
                "crawl",
                "news",
                "-a",
                f"url={origin}/",
                "-s",
                f"NEWSCRAWL_REDIS_URL={url}",
                "-s",
                f"NEWSCRAWL_WORKER_ID=w{number}",
                "-s",
                f"NEWSCRAWL_OUTPUT_DIR={work / 'out'}",
            ]
            for name, value in WORKER_SETTINGS.items():
                command += ["-s", f"{name}={value}"]
            with log.open("wb") as sink:
                process = subprocess.Popen(command, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT)
                workers.append((process, log))
        while int(state.server.zcard(state.keys.workers)) < count:
            time.sleep(0.1)
        started = time.monotonic()
        subprocess.run(
            [str(NEWSCRAWL), "seed", "--redis", url, "--url", origin + "/"],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        time.sleep(1)
        while not state.drained():
            time.sleep(0.1)
        seconds = time.monotonic() - started
        subprocess.run(
            [str(NEWSCRAWL), "stop", "--redis", url, "--url", origin + "/"],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        for process, _ in workers:
            process.wait(timeout=300)
    finally:
        for process, _ in workers:
            if process.poll() is None:
                process.kill()
        redis_process.terminate()
        redis_process.wait()
    pages = articles = 0
    for _, log in workers:
        stats, _ = parse_stats(log.read_text(errors="replace"))
        pages += int(stats.get("response_received_count", 0))
        articles += int(stats.get("item_scraped_count", 0))
    return Result(count, seconds, pages, articles)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=600, help="articles in the generated site")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 3], help="cluster sizes to measure")
    args = parser.parse_args(argv)
    ensure_site(SITE_DIR, SiteParams(articles=args.articles))
    results = []
    work = Path(tempfile.mkdtemp(prefix="newscrawl-distbench-"))
    try:
        with StaticServer([SITE_DIR]) as server:
            for count in args.workers:
                results.append(measure(count, server.origins[0], work / f"{count}-workers"))
            kind = server.kind
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"site: {args.articles} articles served by {kind} on loopback")
    print("| workers | pages | articles | seconds | pages/s |")
    print("|---|---|---|---|---|")
    for result in results:
        print(
            f"| {result.workers} | {result.pages} | {result.articles} | {result.seconds:.1f} | "
            f"{result.pages_per_s:.1f} |"
        )
    print(json.dumps([asdict(r) | {"pages_per_s": round(r.pages_per_s, 1)} for r in results]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
