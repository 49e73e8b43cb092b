"""`make crawl`: serve the bundled demo site on a free loopback port, run a real `scrapy crawl` on it, report."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from newscrawl.demo.server import DemoServer

# Crawl state is keyed by URL: serving the demo on the same port each time lets a repeat `make crawl` show an
# incremental run (nothing new is exported again). Any free port is taken when this one is busy.
PREFERRED_PORT = 8642


def _outputs(directory: Path, pattern: str) -> set[Path]:
    return set(directory.glob(f"**/{pattern}"))


def _start_server() -> DemoServer:
    try:
        return DemoServer(port=PREFERRED_PORT).start()
    except OSError:
        return DemoServer(port=0).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output-dir", default="output", help="where the JSON Lines go (default: output)")
    parser.add_argument("--loglevel", default="INFO")
    args = parser.parse_args(argv)

    output_dir = Path(args.output_dir)
    files_before = _outputs(output_dir, "*.jsonl")
    manifests_before = _outputs(output_dir, "*.manifest.json")
    with _start_server() as server:
        print(f"demo site serving at {server.base_url}", flush=True)
        command = [
            sys.executable, "-m", "scrapy", "crawl", "news",
            "-a", "site=demo", "-a", f"base_url={server.base_url}",
            "-s", f"NEWSCRAWL_OUTPUT_DIR={output_dir}",
            # The demo site lives on loopback, which a production crawl refuses to visit.
            "-s", "NEWSCRAWL_ALLOW_PRIVATE_TARGETS=true",
            "-s", f"LOG_LEVEL={args.loglevel}",
        ]  # fmt: skip
        print("running:", " ".join(command), flush=True)
        result = subprocess.run(command, check=False)
    if result.returncode != 0:
        print(f"scrapy crawl failed with exit code {result.returncode}", file=sys.stderr)
        return result.returncode
    files = sorted(_outputs(output_dir, "*.jsonl") - files_before)
    total = 0
    for path in files:
        with path.open(encoding="utf-8") as lines:
            count = sum(1 for _ in lines)
        total += count
        print(f"{count} articles in {path}")
    if total == 0:
        # Crawl state remembers what earlier runs delivered: a repeat run exports only new or changed articles.
        print(f"0 new or changed articles since the last run: the crawl state in {output_dir}/.state remembers "
              "what was delivered (delete it to export everything again)")
    for manifest in sorted(_outputs(output_dir, "*.manifest.json") - manifests_before):
        print(f"run manifest: {manifest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
