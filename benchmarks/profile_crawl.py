"""Profile newscrawl on the generated site (row b's full crawl, or extraction alone): where its time goes."""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.run import REPO, RUN_DIR, ensure_site_in_child, newscrawl_command, newscrawl_spider_status
from benchmarks.server import StaticServer
from benchmarks.sitegen import DEFAULT_ARTICLES, DEFAULT_DIR, SiteParams

TOP = 25
#: Samples per second for py-spy: enough for a stable top 25 over a minute's crawl, little overhead.
PY_SPY_RATE = 200


def top_from_collapsed(
    lines: Sequence[str], top: int = TOP
) -> tuple[list[tuple[str, int]], list[tuple[str, int]], int]:
    """Cumulative and self sample counts per function from py-spy's collapsed stacks ("a;b;c 12" lines)."""
    cumulative: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in lines:
        stack, _, count_text = line.rstrip("\n").rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        own[frames[-1]] += count
        # A recursive function counts once per sample, as a profiler's cumulative time does.
        for frame in set(frames):
            cumulative[frame] += count
    return cumulative.most_common(top), own.most_common(top), total


def print_top(title: str, rows: Sequence[tuple[str, int]], total: int) -> None:
    print(f"\n## top {len(rows)} by {title} ({total} samples)")
    for frame, count in rows:
        print(f"{100 * count / total:6.1f}%  {frame}")


def print_pstats(stats: pstats.Stats, top: int) -> None:
    stats.strip_dirs()
    print(f"\n## top {top} by cumulative time")
    stats.sort_stats("cumulative").print_stats(top)
    print(f"\n## top {top} by self time")
    stats.sort_stats("tottime").print_stats(top)


def profile_extraction(site: Path, pages: int, top: int) -> int:
    """cProfile of ``extract_article`` (row c's newscrawl call) over article pages read from disk: no
    crawl, no server, so the profile holds extraction and normalisation only."""
    from benchmarks.extract_compare import WARMUP_PAGES, sample_pages
    from newscrawl.extraction import extract_article

    sample = sample_pages(site, pages)
    for page in sample[:WARMUP_PAGES]:  # lazy loads (language model, regex caches) stay out of the profile
        extract_article(page.html, page.url)
    profiler = cProfile.Profile()
    profiler.enable()
    for page in sample:
        extract_article(page.html, page.url)
    profiler.disable()
    print(f"profile of extract_article over {len(sample)} pages of {site}", file=sys.stderr)
    print_pstats(pstats.Stats(profiler), top)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--site-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument(
        "--py-spy",
        action="store_true",
        help="sample with py-spy (low overhead, native time too) instead of cProfile",
    )
    parser.add_argument(
        "--extraction",
        type=int,
        metavar="PAGES",
        help="profile extract_article alone on this many article pages from disk (no crawl)",
    )
    parser.add_argument("--top", type=int, default=TOP)
    parser.add_argument("--timeout", type=float, default=1200.0)
    args = parser.parse_args(argv)
    if args.extraction:
        ensure_site_in_child(args.site_dir, SiteParams(articles=args.articles))
        return profile_extraction(args.site_dir, args.extraction, args.top)

    problem = newscrawl_spider_status()
    if problem:
        print(f"cannot profile: {problem}", file=sys.stderr)
        return 1
    site = args.site_dir
    ensure_site_in_child(site, SiteParams(articles=args.articles))
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    with StaticServer([site]) as server:
        crawl = newscrawl_command(
            "profile", server.origins[0], args.timeout, RUN_DIR, extra_settings={"LOGSTATS_INTERVAL": "60"}
        )
        scrapy_args = list(crawl.command[1:])  # drop the interpreter: the profiler starts its own
        if args.py_spy:
            # py-spy is installed into the venv beside the interpreter, which need not be on PATH.
            py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
            output = RUN_DIR / "profile.collapsed"
            command = [
                py_spy,
                "record",
                "--rate",
                str(PY_SPY_RATE),
                "--format",
                "raw",
                "--output",
                str(output),
                "--",
                sys.executable,
                *scrapy_args,
            ]
        else:
            output = RUN_DIR / "profile.pstats"
            command = [sys.executable, "-m", "cProfile", "-o", str(output), *scrapy_args]
        print(
            f"profiling on {server.origins[0]} ({server.kind}); crawl log {crawl.log_path}", file=sys.stderr
        )
        with crawl.log_path.open("wb") as log:
            completed = subprocess.run(
                command,
                cwd=REPO,
                env=dict(crawl.env),
                stdout=log,
                stderr=log,
                timeout=args.timeout + 60,
                check=False,
            )
    if completed.returncode != 0 or not output.exists():
        print(f"profiled crawl failed (rc={completed.returncode}); see {crawl.log_path}", file=sys.stderr)
        return 1
    if args.py_spy:
        cumulative, own, total = top_from_collapsed(output.read_text(encoding="utf-8").splitlines(), args.top)
        print_top("cumulative samples", cumulative, total)
        print_top("self samples", own, total)
    else:
        print_pstats(pstats.Stats(str(output)), args.top)
    print(f"raw profile: {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
