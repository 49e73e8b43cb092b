"""Run crawl processes side by side and measure each: pages/s, CPU per page, peak RSS, RSS along the way."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

#: Page counts at which a crawl's resident memory is reported (a leak shows as growth between them).
RSS_CHECKPOINTS = (5000, 20000)

#: Scrapy's LogStats line; with LOGSTATS_INTERVAL=1 it comes once a second and carries the page count.
LOGSTATS_RE = re.compile(r"Crawled (\d+) pages \(at \d+ pages/min\), scraped (\d+) items")
SPIDER_OPENED_RE = re.compile(r"Spider opened")
STATS_DUMP_MARK = "Dumping Scrapy stats:"
STAT_NUMBER_RE = re.compile(r"'([\w/.\-]+)': (\d+(?:\.\d+)?)[,}\n]")
STAT_STRING_RE = re.compile(r"'finish_reason': '([^']*)'")

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
#: Kept from the end of a crawl's log for the report when the process fails.
LOG_TAIL_LINES = 15


@dataclass(frozen=True)
class RssSample:
    """The child's resident memory at one LogStats line, and how far the crawl had got then."""

    pages: int
    items: int
    rss_kib: int


@dataclass
class CrawlResult:
    """What one crawl process did and what it cost."""

    label: str
    returncode: int = -1
    pages: int = 0
    """Responses received (Scrapy's ``response_received_count``): every fetched URL, article or not."""
    items: int = 0
    elapsed_s: float = 0.0
    """Scrapy's own ``elapsed_time_seconds``: from spider open to close, so interpreter start is excluded."""
    cpu_s: float = 0.0
    """User + system CPU of the child after the spider opened (imports and settings excluded)."""
    cpu_total_s: float = 0.0
    peak_rss_kib: int = 0
    samples: list[RssSample] = field(default_factory=list)
    stats: dict[str, float] = field(default_factory=dict)
    finish_reason: str | None = None
    log_path: Path | None = None
    log_tail: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.pages > 0

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_s / self.pages if self.pages else 0.0

    def rss_at(self, pages: int) -> int | None:
        """RSS (KiB) at the first sample taken once ``pages`` pages were crawled; None if never reached."""
        for sample in self.samples:
            if sample.pages >= pages:
                return sample.rss_kib
        return None


def proc_cpu_seconds(pid: int) -> float | None:
    """User + system CPU a live process has used so far, from ``/proc/<pid>/stat``."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            # The command name may hold spaces and parentheses: fields are counted after its closing ')'.
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def proc_memory_kib(pid: int) -> tuple[int, int] | None:
    """Resident memory now (``VmRSS``) and at its peak so far (``VmHWM``) of a live process, in KiB."""
    found: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    found[line[:5]] = int(line.split()[1])
    except (OSError, ValueError):
        return None
    if "VmRSS" not in found:
        return None
    return found["VmRSS"], found.get("VmHWM", found["VmRSS"])


def parse_stats(log_text: str) -> tuple[dict[str, float], str | None]:
    """The numeric stats and finish reason from the stats dump at the end of a Scrapy log."""
    start = log_text.rfind(STATS_DUMP_MARK)
    if start < 0:
        return {}, None
    dump = log_text[start:]
    end = dump.find("}")
    dump = dump[: end + 1] if end >= 0 else dump
    numbers = {key: float(value) for key, value in STAT_NUMBER_RE.findall(dump)}
    reason = STAT_STRING_RE.search(dump)
    return numbers, reason.group(1) if reason else None


class _Watcher:
    """One child process: its log is copied to a file and read as it comes, to sample memory at each step."""

    def __init__(self, label: str, command: Sequence[str], cwd: Path, env: Mapping[str, str], log_path: Path):
        self.result = CrawlResult(label=label, log_path=log_path)
        self.cpu_at_open: float | None = None
        self.high_water_kib = 0
        self._log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.started = time.monotonic()
        self._thread = threading.Thread(target=self._read, name=f"log-{label}", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        stream: IO[bytes] = self.process.stderr
        pid = self.process.pid
        with self._log_path.open("wb") as log:
            for raw in stream:
                log.write(raw)
                line = raw.decode("utf-8", "replace")
                match = LOGSTATS_RE.search(line)
                if match:
                    memory = proc_memory_kib(pid)
                    if memory is not None:
                        rss, high_water = memory
                        self.result.samples.append(RssSample(int(match.group(1)), int(match.group(2)), rss))
                        self.high_water_kib = max(self.high_water_kib, high_water)
                elif self.cpu_at_open is None and SPIDER_OPENED_RE.search(line):
                    self.cpu_at_open = proc_cpu_seconds(pid)

    def finish(self, deadline: float) -> CrawlResult:
        """Wait for the child (killed at ``deadline``), then read its costs from the kernel and its log."""
        pid = self.process.pid
        # Popen.poll() would reap the child and lose its rusage: peek with WNOWAIT, then reap with wait4.
        while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
            if time.monotonic() >= deadline:
                self.process.kill()
                break
            time.sleep(0.2)
        _, status, usage = os.wait4(pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        self._thread.join(timeout=30)
        result = self.result
        result.returncode = self.process.returncode
        result.cpu_total_s = usage.ru_utime + usage.ru_stime
        result.cpu_s = result.cpu_total_s - (self.cpu_at_open or 0.0)
        # ru_maxrss survives fork+exec, so a child would report its parent's peak if that was higher:
        # the child's own VmHWM, sampled to its last LogStats line, is used when there is one.
        result.peak_rss_kib = self.high_water_kib or usage.ru_maxrss
        text = self._log_path.read_text(encoding="utf-8", errors="replace")
        result.stats, result.finish_reason = parse_stats(text)
        last = result.samples[-1] if result.samples else RssSample(0, 0, 0)
        # A killed crawl dumps no stats: its last LogStats line is then the best count there is.
        result.pages = int(result.stats.get("response_received_count", last.pages))
        result.items = int(result.stats.get("item_scraped_count", last.items))
        result.elapsed_s = result.stats.get("elapsed_time_seconds", time.monotonic() - self.started)
        result.log_tail = text.splitlines()[-LOG_TAIL_LINES:]
        return result


@dataclass(frozen=True)
class CrawlCommand:
    label: str
    command: Sequence[str]
    cwd: Path
    env: Mapping[str, str]
    log_path: Path


def run_crawls(commands: Sequence[CrawlCommand], timeout_s: float) -> list[CrawlResult]:
    """Start all commands at once, wait for all, and measure each. A process still running after
    ``timeout_s`` is killed and reported with what it had done."""
    watchers = [_Watcher(c.label, c.command, c.cwd, c.env, c.log_path) for c in commands]
    deadline = time.monotonic() + timeout_s
    return [watcher.finish(deadline) for watcher in watchers]
