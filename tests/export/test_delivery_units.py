"""Crash-safe feed storage, run lock and the add-on's feed settings, without a crawl."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.settings import Settings

from newscrawl.export.addon import DeliveryAddon, with_batch_placeholder
from newscrawl.export.lock import RunLock, RunLockedError
from newscrawl.export.manifest import URI_PARAMS_FUNCTION
from newscrawl.export.storage import PartFileFeedStorage


def test_a_feed_file_has_its_final_name_only_once_stored(tmp_path: Path) -> None:
    final = tmp_path / "site" / "site-1-00001.jsonl"
    storage = PartFileFeedStorage(str(final), feed_options={"format": "jsonlines"})
    handle = storage.open(Spider("s"))
    handle.write(b'{"a": 1}\n{"a": 2')
    assert not final.exists(), "while written the file is only <name>.part"
    assert (tmp_path / "site" / "site-1-00001.jsonl.part").exists()
    handle.write(b"}\n")
    storage.store(handle)
    assert final.read_bytes() == b'{"a": 1}\n{"a": 2}\n'
    assert not list(tmp_path.rglob("*.part"))


def test_a_delivered_file_is_never_overwritten(tmp_path: Path) -> None:
    final = tmp_path / "items.jsonl"
    final.write_bytes(b"earlier run\n")
    storage = PartFileFeedStorage(f"file://{final}", feed_options={"format": "jsonlines"})
    handle = storage.open(Spider("s"))
    handle.write(b"this run\n")
    storage.store(handle)
    assert final.read_bytes() == b"earlier run\n"
    assert storage.delivered_path == tmp_path / "items.1.jsonl"
    assert storage.delivered_path.read_bytes() == b"this run\n"


@pytest.mark.parametrize(("uri", "expected"), [
    ("out/%(site_id)s/%(site_id)s-%(time)s.jsonl",
     "out/%(site_id)s/%(site_id)s-%(time)s-%(batch_id)05d.jsonl"),
    ("/data/example.co.uk/items.jsonl.gz", "/data/example.co.uk/items-%(batch_id)05d.jsonl.gz"),
    ("out/%(name)s", "out/%(name)s-%(batch_id)05d"),
    ("out/x-%(batch_id)d.jl", "out/x-%(batch_id)d.jl"),
])
def test_batch_number_goes_before_the_extension(uri: str, expected: str) -> None:
    assert with_batch_placeholder(uri) == expected


def test_addon_makes_local_feeds_crash_safe_and_batched_and_leaves_remote_feeds_alone() -> None:
    settings = Settings({"FEEDS": {"out/%(site_id)s-%(time)s.jsonl": {"format": "jsonlines"},
                                   "s3://bucket/%(time)s.jsonl": {"format": "jsonlines"}}})
    DeliveryAddon().update_settings(settings)
    feeds = settings.getdict("FEEDS")
    assert feeds["out/%(site_id)s-%(time)s-%(batch_id)05d.jsonl"]["uri_params"] == URI_PARAMS_FUNCTION
    assert "uri_params" not in feeds["s3://bucket/%(time)s.jsonl"]
    assert settings.getint("FEED_EXPORT_BATCH_ITEM_COUNT") == 1000
    assert settings.getwithbase("FEED_STORAGES")["file"].endswith("PartFileFeedStorage")


def test_a_second_holder_is_refused_with_the_first_named(tmp_path: Path) -> None:
    first, second = RunLock(tmp_path / "site.lock"), RunLock(tmp_path / "site.lock")
    first.acquire("pid 1 on host, run A")
    with pytest.raises(RunLockedError, match="pid 1 on host, run A"):
        second.acquire("pid 2")
    first.release()
    second.acquire("pid 2")
    assert second.held


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    path = tmp_path / "site.lock"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, pathlib; from newscrawl.export.lock import RunLock; "
        f"RunLock(pathlib.Path({str(path)!r})).acquire('child'); "
        "print('locked', flush=True); sys.stdin.read()")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=Path(__file__).resolve().parents[2])
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        with pytest.raises(RunLockedError):
            RunLock(path).acquire("parent")
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    RunLock(path).acquire("parent")


def test_file_digest_matches_what_a_consumer_computes(tmp_path: Path) -> None:
    from newscrawl.export.files import digest_file

    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"a": 1}\n' * 3)
    digest = digest_file(path)
    assert (digest.lines, digest.size) == (3, 27)
    assert digest.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
