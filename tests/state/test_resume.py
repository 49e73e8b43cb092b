"""A run killed with SIGKILL mid-batch and started again: every article delivered exactly once, no cut file
under a final name, the cut run recorded as cut. A second run of the same site meanwhile is refused."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from loopback_site import REPO, LoopbackSite, crawl_command, delivered_records, run_crawl, story

pytestmark = pytest.mark.e2e

STORIES = 12
BATCH = 4
SERVED_BEFORE_HOLD = 6


def _wait_for(condition: str, check: object, process: subprocess.Popen[bytes],
              deadline: float = 60.0) -> None:
    """Poll until ``check()`` holds; fail (not hang) if the crawl exits or the deadline passes."""
    assert callable(check)
    end = time.monotonic() + deadline
    while not check():
        assert process.poll() is None, f"the crawl exited ({process.returncode}) before {condition}"
        assert time.monotonic() < end, f"timed out waiting for {condition}"
        time.sleep(0.05)


def test_killed_run_resumed_with_the_same_jobdir_delivers_every_article_once(tmp_path: Path) -> None:
    output, jobdir, log = tmp_path / "out", tmp_path / "job", tmp_path / "first-run.log"
    settings = ["NEWSCRAWL_REVISIT_WINDOW_HOURS=0", f"FEED_EXPORT_BATCH_ITEM_COUNT={BATCH}",
                f"JOBDIR={jobdir}"]
    with LoopbackSite(tmp_path / "site") as site:
        # Every third story is listed by the feed only: sitemap- and feed-driven articles both resume.
        site.publish([story(number, in_feed=number % 3 == 0, in_sitemap=number % 3 != 0)
                      for number in range(1, STORIES + 1)])
        site.state.articles_before_hold = SERVED_BEFORE_HOLD
        with log.open("wb") as stderr:
            first = subprocess.Popen(crawl_command(site.base_url, output, *settings), cwd=REPO,
                                     stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            _wait_for("the first batch is delivered and the second is being written",
                      lambda: list(output.glob("*/*-00001.jsonl")) and list(output.glob("*/*.jsonl.part")),
                      first)

            refused = subprocess.run(crawl_command(site.base_url, output, *settings), cwd=REPO,
                                     capture_output=True, text=True, timeout=60, check=False)
            assert refused.returncode != 0
            assert "refusing to start a second run of the same site" in refused.stderr
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()

        cut_files = sorted(output.glob("*/*.jsonl"))
        assert [path.name[-11:] for path in cut_files] == ["00001.jsonl"], "only the finished batch is final"
        assert list(output.glob("*/*.jsonl.part")), "the batch being written stays a .part file"
        for path in cut_files:
            lines = path.read_text(encoding="utf-8").splitlines()
            assert len(lines) == BATCH
            assert all(json.loads(line)["canonical_url"] for line in lines)

        site.state.articles_before_hold = None
        site.state.release.set()
        resumed = run_crawl(site.base_url, output, *settings)

    exported = Counter(record["canonical_url"] for record in delivered_records(output))
    assert len(exported) == STORIES, "every article delivered"
    assert set(exported.values()) == {1}, f"an article delivered twice: {exported.most_common(2)}"
    assert not list(output.rglob("*.part")), "the cut run's unfinished .part is removed on resume"

    manifests = {m["finish_reason"]: m for m in (json.loads(p.read_text(encoding="utf-8"))
                                                 for p in output.glob("*/*.manifest.json"))}
    assert set(manifests) == {"cut", "finished"}, manifests
    cut, finished = manifests["cut"], manifests["finished"]
    assert cut["complete"] is False and [entry["lines"] for entry in cut["files"]] == [BATCH]
    assert finished["complete"] is True and finished["resumes"] == cut["run_id"]
    assert finished["counts"]["items_exported"] == STORIES - BATCH
    assert sum(entry["lines"] for entry in finished["files"]) == STORIES - BATCH
    assert "was cut short" in resumed.stderr
    print(f"resume counts: first run delivered {BATCH} before SIGKILL, resumed run "
          f"{finished['counts']['items_exported']}, total {sum(exported.values())} unique {len(exported)}")
