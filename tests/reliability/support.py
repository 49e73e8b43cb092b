"""Run a real ``scrapy crawl news`` in a child process and read back its stats, records and peak memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.statscollectors import MemoryStatsCollector

REPO = Path(__file__).resolve().parents[2]


class JsonFileStatsCollector(MemoryStatsCollector):
    """Writes the crawl's final stats to NEWSCRAWL_TEST_STATS_FILE, so a test reads numbers, not log lines."""

    def _persist_stats(self, stats: dict[str, Any]) -> None:
        super()._persist_stats(stats)
        path = self._crawler.settings.get("NEWSCRAWL_TEST_STATS_FILE")
        if path:
            Path(path).write_text(json.dumps(stats, default=str, indent=1), encoding="utf-8")


@dataclass
class CrawlResult:
    returncode: int
    stats: dict[str, Any]
    records: list[dict[str, Any]]
    log: str
    peak_rss_mib: float

    def stat(self, key: str) -> int:
        return int(self.stats.get(key, 0))

    def records_by_marker(self) -> dict[str, dict[str, Any]]:
        """Records keyed by their fault-site slug: the last segment of the article URL, less ``.html``."""
        found: dict[str, dict[str, Any]] = {}
        for record in self.records:
            url = str(record.get("url", ""))
            slug = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
            found[slug] = record
        return found


def run_crawl(start_url: str, workdir: Path, settings: dict[str, Any], timeout: float = 120) -> CrawlResult:
    """``scrapy crawl news -a url=start_url`` with ``settings``, from the repository root."""
    stats_file = workdir / "stats.json"
    output_dir = workdir / "output"
    log_file = workdir / "crawl.log"
    all_settings = {
        "NEWSCRAWL_OUTPUT_DIR": str(output_dir),
        "STATS_CLASS": "reliability.support.JsonFileStatsCollector",
        "NEWSCRAWL_TEST_STATS_FILE": str(stats_file),
        "LOG_FILE": str(log_file),
        "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": "false",
        **settings,
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={start_url}"]
    for name, value in all_settings.items():
        text = (
            ",".join(map(str, value))
            if isinstance(value, list)
            else json.dumps(value)
            if isinstance(value, dict)
            else value
        )
        command += ["-s", f"{name}={text}"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "tests")}
    with open(workdir / "stdout.txt", "wb") as stdout:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=stdout, stderr=subprocess.STDOUT)
        try:
            # wait4, not wait: the rusage of this one child, whatever other children the test run had.
            _, status, usage, peak_rss_mib = _wait4(process.pid, timeout)
        except TimeoutError:
            process.kill()
            process.wait()
            raise
    returncode = os.waitstatus_to_exitcode(status)
    process.returncode = returncode
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else {}
    records = [
        json.loads(line)
        for path in sorted(output_dir.glob("**/*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
    log += (workdir / "stdout.txt").read_text(encoding="utf-8", errors="replace")
    # Where /proc could not be read, ru_maxrss is an upper bound (it may include the parent's size).
    return CrawlResult(returncode, stats, records, log, peak_rss_mib or usage.ru_maxrss / 1024)


def _wait4(pid: int, timeout: float) -> tuple[int, int, Any, float]:
    """Wait for the crawl; also its peak RSS in MiB, read from the process itself while it runs.

    ``ru_maxrss`` can't be used for that: Linux carries the parent's high-water mark over fork and exec, so a
    crawl started from a big pytest process would report pytest's size. ``VmHWM`` in /proc belongs to the
    crawl's own address space; sampled until it exits, its last value is the crawl's peak."""
    deadline = time.monotonic() + timeout
    peak_kib = 0
    status_file = Path(f"/proc/{pid}/status")
    while True:
        try:
            for line in status_file.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kib = max(peak_kib, int(line.split()[1]))
        except (OSError, ValueError, IndexError):
            pass  # exited between polls, or /proc unavailable
        waited, status, usage = os.wait4(pid, os.WNOHANG)
        if waited:
            return waited, status, usage, peak_kib / 1024
        if time.monotonic() > deadline:
            raise TimeoutError(f"crawl still running after {timeout} s")
        time.sleep(0.05)
