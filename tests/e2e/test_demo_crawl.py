"""End to end: a real `scrapy crawl` subprocess against the demo site on loopback, checked against the goldens."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from newscrawl.demo.server import DemoServer
from newscrawl.schema import schema_errors

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "demo"
# Values that depend on the moment of the crawl, not on the page.
VOLATILE = {"fetched_at", "provenance", "content_hash", "version", "previous_content_hash"}

pytestmark = pytest.mark.e2e


def _crawl(args: list[str], out: Path) -> tuple[list[dict[str, Any]], str]:
    command = [
        sys.executable, "-m", "scrapy", "crawl", "news", *args,
        "-s", f"NEWSCRAWL_OUTPUT_DIR={out}",
        "-s", "NEWSCRAWL_ALLOW_PRIVATE_TARGETS=true",
        "-s", "AUTOTHROTTLE_ENABLED=false",
        "-s", "LOG_LEVEL=INFO",
    ]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    files = sorted(out.glob("**/*.jsonl"))
    assert files, f"no JSON Lines written under {out}\n{done.stderr[-4000:]}"
    records = [json.loads(line) for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    return records, done.stderr


def _goldens(base_url: str) -> dict[str, dict[str, Any]]:
    goldens = {}
    for path in sorted(GOLDEN.glob("*.json")):
        if path.name.startswith("_"):
            continue
        text = path.read_text(encoding="utf-8").replace("{{BASE_URL}}", base_url)
        golden = json.loads(text)
        goldens[golden["path"]] = golden
    return goldens


def _crawl_plan() -> dict[str, list[str]]:
    plan: dict[str, list[str]] = json.loads((GOLDEN / "_crawl.json").read_text(encoding="utf-8"))
    return plan


@pytest.fixture(scope="module")
def demo_site() -> Any:
    with DemoServer(port=0) as server:
        yield server


@pytest.fixture(scope="module")
def site_crawl(demo_site: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], str]:
    out = tmp_path_factory.mktemp("out-site")
    return _crawl(["-a", "site=demo", "-a", f"base_url={demo_site.base_url}"], out)


def _path(url: str) -> str:
    return urlsplit(url).path


def test_every_line_matches_the_json_schema(site_crawl: tuple[list[dict[str, Any]], str]) -> None:
    records, _ = site_crawl
    for record in records:
        assert schema_errors(record) == [], record["url"]


def test_every_demo_article_is_exported_exactly_once_and_nothing_else(
    site_crawl: tuple[list[dict[str, Any]], str],
) -> None:
    records, _ = site_crawl
    exported = sorted(_path(r["canonical_url"]) for r in records)
    assert exported == sorted(_crawl_plan()["articles"])


def test_non_articles_are_dropped_under_a_counted_reason(site_crawl: tuple[list[dict[str, Any]], str]) -> None:
    records, log = site_crawl
    exported = {_path(r["url"]) for r in records}
    for path in _crawl_plan()["not_exported"]:
        assert path not in exported
    assert "newscrawl/dropped/" in log


def test_robots_disallowed_pages_are_never_fetched(
    site_crawl: tuple[list[dict[str, Any]], str], demo_site: Any,
) -> None:
    fetched = {_path(url) for url in demo_site.requested_paths()}
    for path in _crawl_plan()["never_fetched"]:
        assert path not in fetched


def test_robots_txt_is_fetched_once_and_its_sitemaps_are_read(
    site_crawl: tuple[list[dict[str, Any]], str], demo_site: Any,
) -> None:
    """Scrapy's robots.txt middleware and the spider's sitemap discovery share one fetch."""
    fetched = [_path(url) for url in demo_site.requested_paths()]
    assert fetched.count("/robots.txt") == 1
    assert "/sitemap_index.xml" in fetched


def _compare(record: dict[str, Any], golden: dict[str, Any], *, skip: set[str] = frozenset()) -> list[str]:
    problems = []
    for key, expected in golden.items():
        if key in ("path", *VOLATILE) or key in skip:
            continue
        if key == "provenance":
            continue
        if record.get(key) != expected:
            problems.append(f"{key}: expected {expected!r}, got {record.get(key)!r}")
    for key, source in golden.get("provenance", {}).items():
        if record["provenance"].get(key) != source:
            problems.append(f"provenance.{key}: expected {source!r}, got {record['provenance'].get(key)!r}")
    return problems


def test_every_field_matches_its_golden(
    site_crawl: tuple[list[dict[str, Any]], str], demo_site: Any,
) -> None:
    records, _ = site_crawl
    goldens = _goldens(demo_site.base_url)
    by_path = {_path(r["canonical_url"]): r for r in records}
    failures = {}
    for path, golden in goldens.items():
        record = by_path.get(path)
        if record is None:
            failures[path] = ["not exported"]
            continue
        problems = _compare(record, golden)
        if problems:
            failures[path] = problems
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)


def test_a_crawl_from_the_homepage_url_alone_finds_the_same_articles(
    demo_site: Any, site_crawl: tuple[list[dict[str, Any]], str], tmp_path: Path,
) -> None:
    """`-a url=` (no registry entry): robots.txt sitemaps, feed autodiscovery and link following."""
    records, _ = _crawl(["-a", f"url={demo_site.base_url}/"], tmp_path)
    site_records, _ = site_crawl
    assert sorted(_path(r["canonical_url"]) for r in records) == sorted(
        _path(r["canonical_url"]) for r in site_records
    )
    assert {r["site"] for r in records} == {"127.0.0.1"}
