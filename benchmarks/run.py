"""The one benchmark command: generate and serve the site, run every measurement, print and save one table."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.extract_compare import EXTRACTORS, PEERS, ExtractorResult
from benchmarks.measure import RSS_CHECKPOINTS, CrawlCommand, CrawlResult, run_crawls
from benchmarks.server import StaticServer
from benchmarks.sitegen import DEFAULT_ARTICLES, DEFAULT_DIR, SiteManifest, SiteParams

REPO = Path(__file__).resolve().parent.parent
BARE_SPIDER = Path(__file__).resolve().parent / "bare_spider.py"
RESULTS = Path(__file__).resolve().parent / "results" / "latest.md"
RUN_DIR = Path("/tmp/newscrawl-bench-run")
SECOND_SITE_SEED = 2
QUICK_ARTICLES = 300
QUICK_EXTRACT_PAGES = 60
DEFAULT_EXTRACT_PAGES = 400
ROWS = ("a", "b", "c", "d")
#: A 1-minute load average above this on 2 cores means something else ran beside the benchmark.
BUSY_LOAD = 1.5

#: The same engine settings for every crawl, so rows differ only in what the spider does. Politeness is off
#: on purpose: the server is local and the question is what a page costs, not how gently it is fetched.
ENGINE_SETTINGS = {
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "HTTPCACHE_ENABLED": "False",
    "TELNETCONSOLE_ENABLED": "False",
    "LOG_LEVEL": "INFO",
    # One LogStats line a second gives the page count at which each memory sample is taken.
    "LOGSTATS_INTERVAL": "1",
}


def setting_args(settings: dict[str, str]) -> list[str]:
    return [arg for key, value in settings.items() for arg in ("-s", f"{key}={value}")]


def crawl_settings(timeout_s: float) -> dict[str, str]:
    # Closing a little before the hard kill lets Scrapy still dump its stats.
    return {**ENGINE_SETTINGS, "CLOSESPIDER_TIMEOUT": str(int(max(timeout_s - 30, 10)))}


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def bare_command(label: str, origin: str, timeout_s: float, run_dir: Path) -> CrawlCommand:
    # Run from a directory without scrapy.cfg: the ceiling must not load newscrawl's settings or pipelines.
    cwd = run_dir / "bare-cwd"
    cwd.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        str(BARE_SPIDER),
        "-a",
        f"url={origin}/",
        *setting_args(crawl_settings(timeout_s)),
    ]
    return CrawlCommand(label, command, cwd, child_env(), run_dir / f"{label}.log")


def newscrawl_command(
    label: str, origin: str, timeout_s: float, run_dir: Path, extra_settings: dict[str, str] | None = None
) -> CrawlCommand:
    """``scrapy crawl news`` on ``origin`` from the repo root, exporting into a fresh
    ``run_dir/<label>-output``."""
    output = run_dir / f"{label}-output"
    shutil.rmtree(output, ignore_errors=True)
    output.mkdir(parents=True)
    settings = {
        **crawl_settings(timeout_s),
        "NEWSCRAWL_OUTPUT_DIR": str(output),
        # newscrawl refuses loopback targets by default (SSRF guard); the benchmark's site is on loopback.
        "NEWSCRAWL_ALLOW_PRIVATE_TARGETS": "true",
        **(extra_settings or {}),
    }
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "news",
        "-a",
        f"url={origin}/",
        *setting_args(settings),
    ]
    return CrawlCommand(label, command, REPO, child_env(), run_dir / f"{label}.log")


def newscrawl_spider_status() -> str | None:
    """None when ``scrapy crawl news`` can run from the repo root, else why not."""
    if not (REPO / "scrapy.cfg").is_file():
        return "no scrapy.cfg in the repo root"
    try:
        listed = subprocess.run(
            [sys.executable, "-m", "scrapy", "list"],
            cwd=REPO,
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "`scrapy list` did not finish in 120 s"
    if "news" not in listed.stdout.split():
        last = (listed.stderr.strip().splitlines() or ["no spider named news"])[-1]
        return f"spider `news` not importable: {last[:160]}"
    return None


def ensure_site_in_child(site: Path, params: SiteParams) -> SiteManifest:
    """``ensure_site`` in a child process: generating 20 000 pages takes ~300 MB, and Linux hands a parent's
    peak RSS down to every child it forks later (``ru_maxrss``), which would blur the crawls' figures."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.sitegen",
        "--articles",
        str(params.articles),
        "--seed",
        str(params.seed),
        "--out",
        str(site),
    ]
    subprocess.run(command, cwd=REPO, env=child_env(), check=True, stdout=subprocess.DEVNULL)
    manifest = SiteManifest.load(site)
    if manifest is None or manifest.params != params or not manifest.complete:
        raise RuntimeError(f"site generation into {site} left no complete manifest")
    return manifest


def exported_lines(output: Path) -> int:
    """Records the crawl wrote: lines of every JSON Lines file under its output directory."""
    total = 0
    for path in output.rglob("*.jsonl"):
        with path.open("rb") as lines:
            total += sum(1 for line in lines if line.strip())
    return total


def run_extract_compare(
    site: Path, pages: int, names: Sequence[str], timeout_s: float
) -> list[ExtractorResult]:
    # A child process keeps three extraction libraries out of the runner's memory and timings.
    command = [
        sys.executable,
        "-m",
        "benchmarks.extract_compare",
        "--site",
        str(site),
        "--pages",
        str(pages),
        "--extractors",
        ",".join(names),
        "--json",
    ]
    try:
        completed = subprocess.run(
            command, cwd=REPO, env=child_env(), capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return [
            ExtractorResult(name=n, available=False, reason=f"timed out after {timeout_s:.0f} s")
            for n in names
        ]
    if completed.returncode != 0:
        reason = (completed.stderr.strip().splitlines() or ["failed"])[-1][:160]
        return [ExtractorResult(name=n, available=False, reason=reason) for n in names]
    return [ExtractorResult(**raw) for raw in json.loads(completed.stdout)]


# ---- the table ----


@dataclass
class Row:
    row: str
    what: str
    pages: str = "-"
    items: str = "-"
    pages_per_s: str = "-"
    cpu_ms: str = "-"
    median_ms: str = "-"
    p90_ms: str = "-"
    peak_rss: str = "-"
    rss_at: list[str] = field(default_factory=lambda: ["-"] * len(RSS_CHECKPOINTS))
    notes: str = ""


HEADER = [
    "row",
    "what",
    "pages",
    "items",
    "pages/s",
    "CPU ms/page",
    "median ms",
    "p90 ms",
    "peak RSS MiB",
    *(f"RSS @{n // 1000}k MiB" for n in RSS_CHECKPOINTS),
    "notes",
]


def _mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.0f}"


def crawl_row(row: str, what: str, results: Sequence[CrawlResult], notes: str = "") -> Row:
    """One row for one crawl, or for several run at once (pages and CPU added up, memory the worst)."""
    pages = sum(r.pages for r in results)
    elapsed = max(r.elapsed_s for r in results)
    cpu = sum(r.cpu_s for r in results)
    failures = [
        f"{r.label} FAILED (rc={r.returncode}, {r.pages} pages), log {r.log_path}"
        for r in results
        if not r.ok
    ]
    notes = "; ".join(part for part in [notes, *failures] if part)
    rss_at = []
    for checkpoint in RSS_CHECKPOINTS:
        values = [v for v in (r.rss_at(checkpoint) for r in results) if v is not None]
        rss_at.append(_mib(max(values)) if values else "-")
    return Row(
        row=row,
        what=what,
        pages=str(pages),
        items=str(sum(r.items for r in results)),
        pages_per_s=f"{pages / elapsed:.0f}" if elapsed > 0 else "-",
        cpu_ms=f"{1000 * cpu / pages:.1f}" if pages else "-",
        peak_rss=_mib(max(r.peak_rss_kib for r in results)),
        rss_at=rss_at,
        notes=notes,
    )


def extract_row(result: ExtractorResult) -> Row:
    row = Row(row=f"c {result.name}", what="extraction only, pages from disk")
    if not result.available:
        row.notes = f"n/a: {result.reason}"
        return row
    row.pages = str(result.pages)
    row.pages_per_s = f"{result.pages_per_s:.0f}"
    row.cpu_ms = f"{result.cpu_ms_per_page:.1f}"
    row.median_ms = f"{result.median_ms:.1f}"
    row.p90_ms = f"{result.p90_ms:.1f}"
    row.notes = (
        f"right: title {result.title_ok:.0%}, authors {result.authors_ok:.0%}, date {result.date_ok:.0%},"
        f" body {result.body_ok:.0%}" + (f"; {result.errors} pages raised" if result.errors else "")
    )
    return row


def format_table(rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    for r in rows:
        cells = [
            r.row,
            r.what,
            r.pages,
            r.items,
            r.pages_per_s,
            r.cpu_ms,
            r.median_ms,
            r.p90_ms,
            r.peak_rss,
            *r.rss_at,
            r.notes,
        ]
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    return "\n".join(lines)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def describe_site(site: Path, manifest: SiteManifest) -> str:
    sizes = [p.stat().st_size for p in list((site / "world").rglob("*.html"))[:200]]
    median_kb = statistics.median(sizes) / 1000 if sizes else 0
    return (
        f"{manifest.params.articles} articles, {manifest.pages} HTML pages, "
        f"{manifest.bytes / 1e6:.0f} MB (median page ~{median_kb:.0f} KB), seed {manifest.params.seed}"
    )


# ---- the command ----


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--articles", type=int, default=None, help=f"articles per site (default {DEFAULT_ARTICLES})"
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"smoke run: {QUICK_ARTICLES} articles, fewer pages"
    )
    parser.add_argument("--skip-peers", action="store_true", help="row c without trafilatura and newspaper4k")
    parser.add_argument("--rows", default=",".join(ROWS), help="which rows to run, e.g. a,b for a soak run")
    parser.add_argument("--extract-pages", type=int, default=None, help="article pages timed in row c")
    parser.add_argument("--site-dir", type=Path, default=DEFAULT_DIR, help="where the generated site lives")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the Markdown table is written")
    parser.add_argument("--timeout", type=float, default=None, help="seconds before a crawl is stopped")
    parser.add_argument("--python-server", action="store_true", help="serve with Python instead of nginx")
    parser.add_argument("--no-install", action="store_true", help="never apt-get install nginx")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    load_before = os.getloadavg()[0]  # before our own site generation adds to it
    articles = args.articles or (QUICK_ARTICLES if args.quick else DEFAULT_ARTICLES)
    extract_pages = args.extract_pages or (QUICK_EXTRACT_PAGES if args.quick else DEFAULT_EXTRACT_PAGES)
    rows_wanted = {r.strip() for r in args.rows.split(",") if r.strip()}
    if rows_wanted - set(ROWS):
        print(f"unknown rows: {sorted(rows_wanted - set(ROWS))}; choose from {ROWS}", file=sys.stderr)
        return 2

    def say(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    say(f"generating sites ({articles} articles each) if missing")
    site_a = args.site_dir
    manifest_a = ensure_site_in_child(site_a, SiteParams(articles=articles))
    sites = [site_a]
    if "d" in rows_wanted:
        site_b = site_a.with_name(site_a.name + "-b")
        ensure_site_in_child(site_b, SiteParams(articles=articles, seed=SECOND_SITE_SEED))
        sites.append(site_b)
    expected_pages = manifest_a.pages + manifest_a.sitemaps + manifest_a.feeds + 1
    timeout = args.timeout or 120 + 0.25 * expected_pages
    RUN_DIR.mkdir(parents=True, exist_ok=True)

    rows: list[Row] = []
    spider_problem = newscrawl_spider_status() if rows_wanted & {"b", "d"} else None
    started = datetime.now(UTC)
    with StaticServer(sites, use_nginx=not args.python_server, install_nginx=not args.no_install) as server:
        say(f"serving with {server.kind} at {', '.join(server.origins)}")
        origin_a = server.origins[0]
        result_a: CrawlResult | None = None
        result_b: CrawlResult | None = None
        if "a" in rows_wanted:
            say("(a) bare Scrapy spider")
            result_a = run_crawls([bare_command("a-bare", origin_a, timeout, RUN_DIR)], timeout)[0]
            rows.append(
                crawl_row("a", "bare Scrapy: css links + seen-set, no extraction (ceiling)", [result_a])
            )
        if "b" in rows_wanted:
            if spider_problem:
                rows.append(Row(row="b", what="newscrawl crawl", notes=f"n/a: {spider_problem}"))
            else:
                say("(b) newscrawl crawl")
                command = newscrawl_command("b-newscrawl", origin_a, timeout, RUN_DIR)
                result_b = run_crawls([command], timeout)[0]
                exported = exported_lines(RUN_DIR / "b-newscrawl-output")
                notes = f"{exported} records exported of {articles} articles"
                if result_a and result_a.ok and result_b.ok:
                    notes += f"; {result_b.pages_per_s / result_a.pages_per_s:.0%} of ceiling's pages/s"
                rows.append(
                    crawl_row(
                        "b",
                        "newscrawl: discovery, extraction, normalisation, validation, JSONL",
                        [result_b],
                        notes,
                    )
                )
        if "c" in rows_wanted:
            names = [n for n in EXTRACTORS if not (args.skip_peers and n in PEERS)]
            say(f"(c) extraction alone: {', '.join(names)} on {extract_pages} pages")
            for result in run_extract_compare(site_a, extract_pages, names, timeout_s=max(timeout, 600)):
                rows.append(extract_row(result))
        if "d" in rows_wanted:
            if spider_problem:
                rows.append(Row(row="d", what="2 newscrawl crawls at once", notes=f"n/a: {spider_problem}"))
            else:
                say("(d) two newscrawl crawls at once, one per site")
                commands = [
                    newscrawl_command(f"d-newscrawl-{i + 1}", origin, timeout, RUN_DIR)
                    for i, origin in enumerate(server.origins[:2])
                ]
                results_d = run_crawls(commands, timeout)
                per_process = " + ".join(f"{r.pages_per_s:.0f}" for r in results_d)
                notes = f"pages/s per process {per_process}"
                if result_b and result_b.ok and all(r.ok for r in results_d):
                    together = sum(r.pages for r in results_d) / max(r.elapsed_s for r in results_d)
                    notes += f"; x{together / result_b.pages_per_s:.2f} of one process (b)"
                rows.append(crawl_row("d", "2 newscrawl crawls at once, 2 sites, 2 cores", results_d, notes))
        server_kind = server.kind

    table = format_table(rows)
    load_after = os.getloadavg()[0]
    # Other processes on the same two cores slow every row's pages/s (CPU ms/page much less): say so.
    busy = max(load_before, load_after) > BUSY_LOAD
    load_line = f"- load average (1 min) before {load_before:.1f}, after {load_after:.1f}" + (
        ": OTHER PROCESSES SHARED THE CORES, pages/s read low (CPU ms/page holds better)" if busy else ""
    )
    scrapy_version = subprocess.run(
        [sys.executable, "-c", "import scrapy; print(scrapy.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    settings = ", ".join(f"{k}={v}" for k, v in ENGINE_SETTINGS.items())
    report = "\n".join(
        [
            f"# newscrawl benchmark, {started:%Y-%m-%d %H:%M} UTC",
            "",
            f"- machine: {os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}, "
            f"Scrapy {scrapy_version}",
            f"- server: {server_kind} on 127.0.0.1; site per crawl: {describe_site(site_a, manifest_a)}",
            f"- crawl settings (every crawl): {settings}",
            load_line,
            f"- logs: {RUN_DIR}/*.log; rows and columns are explained in benchmarks/README.md",
            "",
            table,
            "",
        ]
    )
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    say(f"table written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
