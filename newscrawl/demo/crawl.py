"""`make crawl`: serve the bundled demo site on a free loopback port, run a real `scrapy crawl` on it, report."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from newscrawl.demo.server import DemoServer


def _new_outputs(directory: Path, since: float) -> list[Path]:
    return sorted(p for p in directory.glob("**/*.jsonl") if p.stat().st_mtime >= since)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output-dir", default="output", help="where the JSON Lines go (default: output)")
    parser.add_argument("--loglevel", default="INFO")
    args = parser.parse_args(argv)

    output_dir = Path(args.output_dir)
    started = time.time()
    with DemoServer(port=0) as server:
        print(f"demo site serving at {server.base_url}", flush=True)
        command = [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "news",
            "-a",
            "site=demo",
            "-a",
            f"base_url={server.base_url}",
            "-s",
            f"NEWSCRAWL_OUTPUT_DIR={output_dir}",
            # The demo site lives on loopback, which a production crawl refuses to visit.
            "-s",
            "NEWSCRAWL_ALLOW_PRIVATE_TARGETS=true",
            "-s",
            f"LOG_LEVEL={args.loglevel}",
        ]
        print("running:", " ".join(command), flush=True)
        result = subprocess.run(command, check=False)
    if result.returncode != 0:
        print(f"scrapy crawl failed with exit code {result.returncode}", file=sys.stderr)
        return result.returncode
    files = _new_outputs(output_dir, started - 1)
    total = 0
    for path in files:
        with path.open(encoding="utf-8") as lines:
            count = sum(1 for _ in lines)
        total += count
        print(f"{count} articles in {path}")
    if total == 0:
        # Crawl state remembers what earlier runs delivered: a repeat run exports only new or changed articles.
        print("0 new or changed articles since the last run (the crawl state remembers what was delivered; "
              "remove it, see NEWSCRAWL_STATE_DIR, to export everything again)")
    for manifest in sorted(p for p in output_dir.glob("**/*.manifest.json") if p.stat().st_mtime >= started - 1):
        print(f"run manifest: {manifest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
