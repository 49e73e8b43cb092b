"""Fixtures for the distributed tests: a real redis-server on 127.0.0.1 and workers as subprocesses."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

REPO = Path(__file__).resolve().parents[2]
SCRAPY = Path(sys.executable).with_name("scrapy")
NEWSCRAWL = Path(sys.executable).with_name("newscrawl")
# Short enough that a killed worker's requests come back within seconds, long enough (5 beats) that a busy
# worker on a loaded 2-core machine is never taken for dead.
HEARTBEAT = 0.5
WORKER_TIMEOUT = 3.0
# How long any wait in these tests may take before it counts as a hang, not as slowness.
HANG_LIMIT = 180.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A fresh redis-server on a free loopback port, without persistence, stopped after the test."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: run scripts/ensure-test-tools.sh (make test does)")
    port = free_port()
    data = tmp_path / "redis"
    data.mkdir()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(data), "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    try:
        yield url
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Worker:
    """One `scrapy crawl news` worker process and where its files and log go."""

    worker_id: str
    process: subprocess.Popen[bytes]
    log: Path
    output_dir: Path

    def records(self) -> list[dict[str, object]]:
        lines: list[dict[str, object]] = []
        for path in sorted(self.output_dir.rglob(f"*-{self.worker_id}.jsonl")):
            lines += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        return lines

    def wait(self, timeout: float = HANG_LIMIT) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"worker {self.worker_id} did not stop; log:\n{self.log.read_text()[-3000:]}")


_STARTED: list[Worker] = []


@pytest.fixture(autouse=True)
def _no_worker_outlives_its_test() -> Iterator[None]:
    yield
    while _STARTED:
        worker = _STARTED.pop()
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.wait()


def start_worker(redis_url: str, url: str, output_dir: Path, worker_id: str,
                 extra: Sequence[str] = ()) -> Worker:
    """A `scrapy crawl news` worker of the crawl of ``url``'s site."""
    return _start([str(SCRAPY), "crawl", "news", "-a", f"url={url}"], redis_url, output_dir, worker_id, extra)


def start_multisite_worker(redis_url: str, urls: Sequence[str], output_dir: Path, worker_id: str) -> Worker:
    """One `scrapy crawlsites` process: a worker of the crawl of every site of ``urls``."""
    command = [str(SCRAPY), "crawlsites"]
    for url in urls:
        command += ["--url", url]
    return _start(command, redis_url, output_dir, worker_id, ())


def _start(command: list[str], redis_url: str, output_dir: Path, worker_id: str, extra: Sequence[str]) -> Worker:
    log = output_dir / f"{worker_id}.log"
    settings = {
        "NEWSCRAWL_REDIS_URL": redis_url,
        "NEWSCRAWL_WORKER_ID": worker_id,
        "NEWSCRAWL_OUTPUT_DIR": str(output_dir),
        "NEWSCRAWL_ALLOW_PRIVATE_TARGETS": "true",
        "NEWSCRAWL_REDIS_HEARTBEAT": str(HEARTBEAT),
        "NEWSCRAWL_REDIS_WORKER_TIMEOUT": str(WORKER_TIMEOUT),
        "AUTOTHROTTLE_ENABLED": "false",
        "TELNETCONSOLE_ENABLED": "false",
        "LOG_LEVEL": "INFO",
    }
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    command += list(extra)
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
    worker = Worker(worker_id, process, log, output_dir)
    _STARTED.append(worker)
    return worker


def newscrawl(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(NEWSCRAWL), *args], cwd=REPO, capture_output=True, text=True,
                            timeout=HANG_LIMIT, check=False)
    assert result.returncode == 0, result.stderr
    return result
