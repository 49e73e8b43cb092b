"""Real crawls, run after run, of a loopback site that changes in between: each run exports what is new or
changed, and nothing else."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from loopback_site import ARTICLE_PREFIX, Hit, LoopbackSite, run_crawl, story

pytestmark = pytest.mark.e2e

NO_REVISITS = "NEWSCRAWL_REVISIT_WINDOW_HOURS=0"


def now() -> datetime:
    return datetime.now(UTC)


def _exported_by_run(output: Path, before: set[Path]) -> dict[str, dict[str, Any]]:
    """Records in the files this run delivered, by story number (from the URL)."""
    records: dict[str, dict[str, Any]] = {}
    for path in sorted(set(output.glob("*/*.jsonl")) - before):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            number = record["url"].split("story-number-")[1].split("-")[0]
            assert number not in records, f"story {number} exported twice in one run"
            records[number] = record
    return records


def _run(site: LoopbackSite, output: Path, *settings: str) -> tuple[dict[str, dict[str, Any]], list[Hit]]:
    before = set(output.glob("*/*.jsonl"))
    site.take_hits()
    run_crawl(site.base_url, output, *settings)
    return _exported_by_run(output, before), site.take_hits()


def _article_hits(hits: list[Hit]) -> dict[str, Hit]:
    return {hit.path.split("story-number-")[1].split("-")[0]: hit
            for hit in hits if hit.path.startswith(ARTICLE_PREFIX) and hit.path.endswith(".html")}


def test_three_runs_export_exactly_the_new_and_the_changed_articles(tmp_path: Path) -> None:
    output = tmp_path / "out"
    with LoopbackSite(tmp_path / "site") as site:
        site.publish([story(1), story(2), story(3), story(4, in_feed=True)])
        first, hits = _run(site, output, NO_REVISITS)
        assert sorted(first) == ["1", "2", "3", "4"]
        assert {record["version"] for record in first.values()} == {1}
        assert all(record["previous_content_hash"] is None for record in first.values())

        # A new story (sitemap and feed), an updated one (text and lastmod), a lastmod bump on unchanged text.
        changed = now()
        site.publish([story(1), story(2, revision=1, modified=changed), story(3, modified=changed),
                      story(4, in_feed=True), story(5, in_feed=True)])
        second, hits = _run(site, output, NO_REVISITS)
        assert sorted(second) == ["2", "5"]
        assert second["5"]["version"] == 1
        assert second["2"]["version"] == 2
        assert second["2"]["previous_content_hash"] == first["2"]["content_hash"]
        assert second["2"]["content_hash"] != first["2"]["content_hash"]
        requested = _article_hits(hits)
        assert sorted(requested) == ["2", "3", "5"], "unchanged stories 1 and 4 must not be requested"
        assert requested["3"].if_none_match, "a lastmod bump is checked with a conditional GET"
        assert requested["2"].if_none_match

        # Story 1 changes without any sign in the sitemap: only the revisit policy can find it.
        site.publish([story(1, revision=1), story(2, revision=1, modified=changed),
                      story(3, modified=changed), story(4, in_feed=True), story(5, in_feed=True)])
        third, hits = _run(site, output, "NEWSCRAWL_REVISIT_WINDOW_HOURS=24",
                           "NEWSCRAWL_REVISIT_INTERVAL_MINUTES=0")
        assert sorted(third) == ["1"]
        assert third["1"]["version"] == 2
        assert third["1"]["previous_content_hash"] == first["1"]["content_hash"]
        requested = _article_hits(hits)
        assert sorted(requested) == ["1", "2", "3", "4", "5"]
        assert all(hit.if_none_match for hit in requested.values()), "revisits are conditional GETs"

        # Nothing changed, default policy (just revisited): only robots.txt, sitemap, feed and sections.
        fourth, hits = _run(site, output)
        assert fourth == {}
        assert _article_hits(hits) == {}
        assert {hit.path for hit in hits} <= {"/robots.txt", "/", "/news/", "/sitemap.xml", "/feed.xml"}


def test_every_run_writes_a_manifest_that_lists_its_files(tmp_path: Path) -> None:
    output = tmp_path / "out"
    with LoopbackSite(tmp_path / "site") as site:
        site.publish([story(1), story(2), story(3)])
        run_crawl(site.base_url, output, NO_REVISITS, "FEED_EXPORT_BATCH_ITEM_COUNT=2")
    [manifest_path] = output.glob("*/*.manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert manifest["finish_reason"] == "finished"
    assert manifest["complete"] is True
    assert manifest["counts"]["items_exported"] == 3
    assert manifest["counts"]["state/new"] == 3
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {path.name for path in manifest_path.parent.glob("*.jsonl")}
    assert set(listed) == on_disk
    assert sorted(entry["lines"] for entry in listed.values()) == [1, 2], "batches of 2 items"
    for name, entry in listed.items():
        import hashlib

        data = (manifest_path.parent / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert data.count(b"\n") == entry["lines"]
        assert name.startswith(manifest["run_id"])
    assert not list(output.rglob("*.part")), "no .part file is left after a clean run"
