"""The project on a real scrapyd: deployed with scrapyd-deploy, run via schedule.json, its output checked."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawl.demo.server import DemoServer

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# What scrapyd-deploy packs: the project, never the tests, the virtualenv or earlier build output.
PROJECT_FILES = ("scrapy.cfg", "pyproject.toml", "README.md", "setup.py", "MANIFEST.in", "LICENSE")
DEADLINE = 90.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=10) as response:
        data: dict[str, Any] = json.load(response)
        return data


def _post(url: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
    body = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(url, data=body, timeout=10) as response:
        data: dict[str, Any] = json.load(response)
        return data


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    """A scrapyd of our own on a free loopback port, with its eggs, logs and databases in tmp_path."""
    if not (BIN / "scrapyd").exists():
        pytest.fail("scrapyd is not installed in the environment (pip install -e '.[server]')")
    home, port = tmp_path / "scrapyd", _free_port()
    home.mkdir()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.2\n"
        "eggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\nitems_dir =\n")
    with (home / "scrapyd.log").open("wb") as log:
        server = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        end = time.monotonic() + 30
        while True:
            try:
                _get(url + "daemonstatus.json")
                break
            except OSError:
                assert server.poll() is None, (home / "scrapyd.log").read_text()
                assert time.monotonic() < end, "scrapyd did not start"
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_project_deployed_with_scrapyd_deploy_and_scheduled_over_http_crawls(tmp_path: Path,
                                                                             scrapyd: str) -> None:
    entry_points = tomllib.loads((REPO / "pyproject.toml").read_text())["project"].get("entry-points", {})
    assert entry_points.get("scrapy", {}).get("settings") == "newscrawl.settings", (
        "pyproject.toml needs [project.entry-points.scrapy] settings = \"newscrawl.settings\": scrapyd finds "
        "the project's settings through that entry point of the egg")

    # Built from a copy, so scrapyd-deploy's setup.py, build/ and egg-info never land in the working tree.
    project = tmp_path / "project"
    shutil.copytree(REPO / "newscrawl", project / "newscrawl",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in PROJECT_FILES:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, project / name)
    with (project / "scrapy.cfg").open("a") as config:
        config.write(f"\n[deploy:test]\nurl = {scrapyd}\nproject = newscrawl\n")
    deployed = subprocess.run([str(BIN / "scrapyd-deploy"), "test", "--version", "1"], cwd=project,
                              capture_output=True, text=True, timeout=120, check=False)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert _get(scrapyd + "listprojects.json")["projects"] == ["newscrawl"]
    assert "news" in _get(scrapyd + "listspiders.json?project=newscrawl")["spiders"]

    output = tmp_path / "output"
    with DemoServer(port=0) as site:
        job = _post(scrapyd + "schedule.json", [
            ("project", "newscrawl"), ("spider", "news"), ("url", site.base_url + "/"),
            ("setting", f"NEWSCRAWL_OUTPUT_DIR={output}"),
            ("setting", "NEWSCRAWL_ALLOW_PRIVATE_TARGETS=true"),
            ("setting", "AUTOTHROTTLE_ENABLED=false"),
        ])
        assert job["status"] == "ok", job
        end = time.monotonic() + DEADLINE
        while job["jobid"] not in {done["id"] for done in _get(scrapyd + "listjobs.json")["finished"]}:
            assert time.monotonic() < end, "the scheduled crawl did not finish"
            time.sleep(0.2)

    [manifest_path] = output.glob("*/*.manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert manifest["complete"] is True, manifest
    records = [json.loads(line) for entry in manifest["files"]
               for line in (manifest_path.parent / entry["path"]).read_text(encoding="utf-8").splitlines()]
    assert len(records) == manifest["counts"]["items_exported"] > 0
    assert all(record["title"] and record["body"] for record in records)
