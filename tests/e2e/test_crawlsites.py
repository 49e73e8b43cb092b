"""End to end: `scrapy crawlsites`, many sites in one process, against loopback sites.

Two copies of the demo site make two distinct sites on 127.0.0.1: one named by its address, one by
"localhost" (its links say so; it is served from 127.0.0.1 all the same).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newscrawl.demo.server import DemoServer
from newscrawl.export.lock import RunLock

REPO = Path(__file__).resolve().parents[2]
DEMO_ARTICLES = 9

pytestmark = pytest.mark.e2e


def _command(out: Path, *args: str) -> list[str]:
    return [
        sys.executable, "-m", "scrapy", "crawlsites", *args,
        "-s", f"NEWSCRAWL_OUTPUT_DIR={out}",
        "-s", "NEWSCRAWL_ALLOW_PRIVATE_TARGETS=true",
        "-s", "AUTOTHROTTLE_ENABLED=false",
        "-s", "LOG_LEVEL=INFO",
    ]


def _run(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(out, *args), cwd=REPO, capture_output=True, text=True, timeout=300, check=False)


def _records(out: Path, site: str) -> list[dict[str, Any]]:
    return [json.loads(line) for path in sorted((out / site).glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]


def _manifest(out: Path, site: str) -> dict[str, Any]:
    manifests = sorted((out / site).glob("*.manifest.json"))
    assert len(manifests) == 1, manifests
    manifest: dict[str, Any] = json.loads(manifests[0].read_text(encoding="utf-8"))
    return manifest


@pytest.fixture
def two_sites() -> Iterator[tuple[DemoServer, DemoServer]]:
    with DemoServer() as by_address, DemoServer(host_name="localhost") as by_name:
        yield by_address, by_name


def test_each_site_gets_its_own_files_manifest_and_articles(two_sites: tuple[DemoServer, DemoServer],
                                                           tmp_path: Path) -> None:
    first, second = two_sites
    done = _run(tmp_path, "--url", first.base_url + "/", "--url", second.base_url + "/")
    assert done.returncode == 0, done.stderr[-4000:]
    for site in ("127.0.0.1", "localhost"):
        records = _records(tmp_path, site)
        assert len(records) == DEMO_ARTICLES
        assert len({record["url"] for record in records}) == DEMO_ARTICLES
        assert {record["site"] for record in records} == {site}
        manifest = _manifest(tmp_path, site)
        assert manifest["finish_reason"] == "finished"
        assert f"site {site}: finished, {DEMO_ARTICLES} articles" in done.stderr
    assert "crawlsites: 2 of 2 sites ran" in done.stderr


def test_parallel_one_crawls_the_sites_one_after_the_other_each_with_its_own_jobdir(
    two_sites: tuple[DemoServer, DemoServer], tmp_path: Path
) -> None:
    first, second = two_sites
    jobs = tmp_path / "jobs"
    done = _run(tmp_path, "--parallel", "1", "--url", first.base_url + "/", "--url", second.base_url + "/",
                "-s", f"JOBDIR={jobs}")
    assert done.returncode == 0, done.stderr[-4000:]
    earlier, later = _manifest(tmp_path, "127.0.0.1"), _manifest(tmp_path, "localhost")
    assert later["started_at"] >= earlier["finished_at"]
    assert len(_records(tmp_path, "localhost")) == DEMO_ARTICLES
    # Each site resumes from its own job directory.
    assert sorted(path.name for path in jobs.iterdir()) == ["127.0.0.1", "localhost"]


def test_a_site_that_cannot_run_fails_alone(two_sites: tuple[DemoServer, DemoServer], tmp_path: Path) -> None:
    first, second = two_sites
    state = tmp_path / ".state"
    state.mkdir()
    held = RunLock(state / "localhost.lock")
    held.acquire("another run")
    try:
        done = _run(tmp_path, "--url", first.base_url + "/", "--url", second.base_url + "/")
    finally:
        held.release()
    assert done.returncode == 1
    assert len(_records(tmp_path, "127.0.0.1")) == DEMO_ARTICLES
    assert second.requested_paths() == []
    assert "site localhost: failed: another run holds" in done.stderr
    assert "crawlsites: 1 of 2 sites ran" in done.stderr


def test_an_unknown_site_is_refused_before_anything_is_fetched(two_sites: tuple[DemoServer, DemoServer],
                                                                tmp_path: Path) -> None:
    first, _ = two_sites
    done = _run(tmp_path, "no-such-site", "--url", first.base_url + "/")
    assert done.returncode == 2
    assert "unknown site 'no-such-site'" in done.stderr
    assert first.requested_paths() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "http://127.0.0.1:9/", "--url", "http://127.0.0.1:9/feed.xml"], "already crawls"),
        (["demo", "--url", "http://127.0.0.1:9/", "-a", "base_url=http://127.0.0.1:9"], "exactly one registered site"),
        (["--parallel", "0", "demo"], "at least 1"),
    ],
)
def test_a_command_line_that_cannot_be_right_is_refused(tmp_path: Path, args: list[str], message: str) -> None:
    done = _run(tmp_path, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "demo").exists()


class _SlowSite:
    """A home page linking 40 articles, every answer a second late: a crawl still running when signalled."""

    def __init__(self) -> None:
        self.article_requests = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.startswith("/news/"):
                    site.article_requests += 1
                time.sleep(1.0)
                links = "".join(f'<a href="/news/2024/05/01/story-{n}.html">Story {n}</a>' for n in range(40))
                body = f"<html><body><h1>Home</h1>{links}</body></html>".encode()
                self.send_response(404 if self.path == "/robots.txt" else 200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_sigterm_finishes_the_running_sites_and_starts_no_more(tmp_path: Path) -> None:
    slow = _SlowSite()
    try:
        with DemoServer(host_name="localhost") as waiting:
            process = subprocess.Popen(
                _command(tmp_path, "--parallel", "1", "--url", slow.base_url + "/", "--url", waiting.base_url + "/"),
                cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            deadline = time.monotonic() + 60
            while slow.article_requests == 0 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert slow.article_requests > 0, "the slow site's crawl never reached its articles"
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=120)
            assert process.returncode == 1, stderr[-4000:]
            assert waiting.requested_paths() == []
            assert "site localhost: not started" in stderr
            assert _manifest(tmp_path, "127.0.0.1")["finish_reason"] == "shutdown"
    finally:
        slow.close()
